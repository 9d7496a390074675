import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createApp } from '../src/app';
import { SealService } from '../src/audit/seals/seal.service';
import { computeEventHash, GENESIS_HASH, HashedEnvelope } from '../src/event-store/envelope';
import { canonicalJson } from '../src/shared/canonical-json';
import { seed, tokens } from './support/api';
import { ROOT, ledgerCli } from './support/processes';
import { startTestApp, testConfig } from './support/test-app';

/**
 * Every attack of issue 12, each on a real copy of a sealed ledger's data directory (made by the
 * service, stopped cleanly), and which tool catches it: `ledger verify` (on the data directory,
 * with the signer's record in seal-keys.db) and the offline verifier `ledger-audit verify` (on
 * an export of the tampered copy, with the public key the auditor was given before).
 */
const AUDIT = join(ROOT, 'dist', 'src', 'audit', 'offline', 'ledger-audit.js');

interface Row {
  global_position: number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  recorded_at: string;
  effective_at: string;
  data: string;
  metadata: string;
  prev_hash: string;
  hash: string;
}

function open(dir: string): Database.Database {
  const db = new Database(join(dir, 'events.db'));
  db.exec('DROP TRIGGER IF EXISTS events_refuse_update; DROP TRIGGER IF EXISTS events_refuse_delete;');
  return db;
}

const envelopeOf = (r: Row): HashedEnvelope => ({
  eventId: r.event_id,
  type: r.type,
  schemaVersion: r.schema_version,
  streamId: r.stream_id,
  streamVersion: r.stream_version,
  recordedAt: r.recorded_at,
  effectiveAt: r.effective_at,
  data: JSON.parse(r.data),
  metadata: JSON.parse(r.metadata),
  prevHash: r.prev_hash,
});

/** The insider's move: recompute every hash of a stream after editing it, so its chain holds. */
function rehashStream(db: Database.Database, streamId: string): void {
  const rows = db.prepare<[string], Row>('SELECT * FROM events WHERE stream_id = ? ORDER BY stream_version').all(streamId);
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const hash = computeEventHash({ ...envelopeOf(r), prevHash: prev });
    db.prepare('UPDATE events SET prev_hash = ?, hash = ? WHERE global_position = ?').run(prev, hash, r.global_position);
    prev = hash;
  }
}

function setData(db: Database.Database, position: number, edit: (data: Record<string, unknown>) => void): Row {
  const row = db.prepare<[number], Row>('SELECT * FROM events WHERE global_position = ?').get(position)!;
  const data = JSON.parse(row.data);
  edit(data);
  db.prepare('UPDATE events SET data = ? WHERE global_position = ?').run(canonicalJson(data), position);
  return row;
}

const rowsOf = (db: Database.Database, where = '1', ...args: unknown[]) =>
  db.prepare<unknown[], Row>(`SELECT * FROM events WHERE ${where} ORDER BY global_position`).all(...args);

describe('attacks on a sealed ledger, each caught (ledger verify / ledger-audit)', () => {
  let pristine: string;
  let work: string;
  let keyFile: string;
  let keptSealFile: string;
  let proofFile: string;
  let consistencyFile: string;
  let firstSealFile: string;
  const copies: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ledger-attacks-'));
    const t = await startTestApp({ config: { seedFunds: 'default', sealIntervalSeconds: 3600, sealEveryEvents: 1_000_000 } });
    const seals = t.app.get(SealService);
    const steward = await tokens.steward(t);
    const auditor = await tokens.auditor(t);
    const post = (url: string, body: unknown) => t.request('POST', url, { token: steward, body });
    const c = { post, get: (url: string) => t.request('GET', url, { token: steward }) } as never;
    const funds: Record<string, string> = {};
    for (const f of (await t.request('GET', '/v1/funds', { token: steward })).body.items) funds[f.code] = f.fundId;
    for (let i = 0; i < 4; i++) expect((await seed.income(c, funds.general, 100_00 + i, '2026-01-0' + (i + 1))).status).toBe(201);
    await seals.tick(true);
    const first = (await t.request('GET', '/v1/seals/latest', { token: auditor })).body.seal;
    for (let i = 0; i < 4; i++) expect((await seed.income(c, funds['water-autonomy'], 50_00 + i, '2026-02-0' + (i + 1))).status).toBe(201);
    await seals.tick(true);
    for (let i = 0; i < 6; i++) expect((await seed.income(c, funds.general, 10_00 + i, '2026-03-0' + (i + 1))).status).toBe(201);
    await seals.tick(true);
    const latest = (await t.request('GET', '/v1/seals/latest', { token: auditor })).body;
    const proof = (await t.request('GET', '/v1/audit/proofs/inclusion?position=20', { token: auditor })).body;
    const consistency = (await t.request('GET', `/v1/audit/proofs/consistency?first=${first.treeSize}`, { token: auditor })).body;
    const key = (await t.request('GET', '/v1/seals/public-key')).body.current.publicKey;
    // What the auditor keeps: the public key, the latest seal, a proof.
    keyFile = join(work, 'key.pem');
    keptSealFile = join(work, 'kept-seal.json');
    proofFile = join(work, 'proof.json');
    consistencyFile = join(work, 'consistency.json');
    firstSealFile = join(work, 'first-seal.json');
    writeFileSync(keyFile, key);
    writeFileSync(keptSealFile, JSON.stringify(latest));
    writeFileSync(proofFile, JSON.stringify(proof));
    writeFileSync(consistencyFile, JSON.stringify(consistency));
    writeFileSync(firstSealFile, JSON.stringify(first));
    // A clean stop seals everything: from now on, nothing unsealed may follow.
    await t.app.close();
    pristine = t.dataDir;
  }, 60_000);

  afterAll(() => {
    for (const dir of [work, pristine, ...copies]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function copy(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-attack-copy-'));
    cpSync(pristine, dir, { recursive: true });
    copies.push(dir);
    return dir;
  }

  function ledgerVerify(dir: string): { ok: boolean; firstProblem?: { kind: string; position: number; detail: string } } {
    const run = ledgerCli(dir, ['verify', '--json']);
    return JSON.parse(run.stdout);
  }

  function audit(dir: string, extra: string[] = []): { status: number; report: { ok: boolean; firstProblem?: { kind: string; position: number; detail: string }; seals: { unsealedEvents: number } } } {
    const file = join(dir, 'export.ndjson');
    expect(ledgerCli(dir, ['export', '-o', file]).status).toBe(0);
    const run = spawnSync(process.execPath, [AUDIT, 'verify', file, '--public-key', keyFile, '--json', ...extra], { encoding: 'utf8' });
    return { status: run.status ?? -1, report: JSON.parse(run.stdout) };
  }

  it('an untouched copy verifies with both; its export verifies in another directory with only the packed verifier', () => {
    const dir = copy();
    expect(ledgerVerify(dir)).toMatchObject({ ok: true });
    const { status, report } = audit(dir, ['--kept-seal', keptSealFile, '--require-sealed']);
    expect(report.firstProblem).toBeUndefined();
    expect(status).toBe(0);
    const elsewhere = mkdtempSync(join(tmpdir(), 'ledger-auditor-'));
    copies.push(elsewhere);
    expect(spawnSync(process.execPath, [join(ROOT, 'scripts', 'pack-audit.js'), join(elsewhere, 'tool')], { encoding: 'utf8' }).status).toBe(0);
    cpSync(join(dir, 'export.ndjson'), join(elsewhere, 'export.ndjson'));
    cpSync(keyFile, join(elsewhere, 'key.pem'));
    const run = spawnSync(process.execPath, [join(elsewhere, 'tool', 'ledger-audit.js'), 'verify', 'export.ndjson', '--public-key', 'key.pem'], { cwd: elsewhere, encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(run.stdout).toMatch(/^OK: /);
    expect(run.status).toBe(0);
    // Run as a program, by its own #! line (which passes Node its memory flag).
    const direct = spawnSync(join(elsewhere, 'tool', 'ledger-audit.js'), ['verify', 'export.ndjson', '--public-key', 'key.pem'], { cwd: elsewhere, encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(direct.stdout).toMatch(/^OK: /);
    expect(direct.status).toBe(0);
  });

  it('edit data (an amount): HASH_MISMATCH at its position, by both', () => {
    const dir = copy();
    const db = open(dir);
    const target = rowsOf(db, "type = 'MovementPosted'")[2];
    setData(db, target.global_position, (d) => ((d.postings as Array<{ amountMinor: number }>)[0].amountMinor += 1_000_00));
    db.close();
    expect(ledgerVerify(dir).firstProblem).toMatchObject({ kind: 'HASH_MISMATCH', position: target.global_position });
    expect(audit(dir).report.firstProblem).toMatchObject({ kind: 'HASH_MISMATCH', position: target.global_position });
  });

  it('edit metadata (the actor): HASH_MISMATCH at its position, by both', () => {
    const dir = copy();
    const db = open(dir);
    const target = rowsOf(db)[10];
    const metadata = { ...JSON.parse(target.metadata), actorId: 'token:mallory' };
    db.prepare('UPDATE events SET metadata = ? WHERE global_position = ?').run(canonicalJson(metadata), target.global_position);
    db.close();
    expect(ledgerVerify(dir).firstProblem).toMatchObject({ kind: 'HASH_MISMATCH', position: target.global_position });
    expect(audit(dir).report.firstProblem).toMatchObject({ kind: 'HASH_MISMATCH', position: target.global_position });
  });

  it('delete one event: POSITION_GAP naming it, by both', () => {
    const dir = copy();
    const db = open(dir);
    db.prepare('DELETE FROM events WHERE global_position = 12').run();
    db.close();
    expect(ledgerVerify(dir).firstProblem).toMatchObject({ kind: 'POSITION_GAP', position: 13 });
    expect(audit(dir).report.firstProblem).toMatchObject({ kind: 'POSITION_GAP', position: 13 });
  });

  it('swap two events of one stream: the stream link breaks at the first, by both', () => {
    const dir = copy();
    const db = open(dir);
    const fund = rowsOf(db, "stream_id LIKE 'fund-%' AND type = 'FundEntryPosted'");
    const [a, b] = fund.filter((r) => r.stream_id === fund[0].stream_id);
    db.prepare('UPDATE events SET global_position = -1 WHERE global_position = ?').run(a.global_position);
    db.prepare('UPDATE events SET global_position = ? WHERE global_position = ?').run(a.global_position, b.global_position);
    db.prepare('UPDATE events SET global_position = ? WHERE global_position = -1').run(b.global_position);
    db.close();
    const expected = { position: a.global_position };
    expect(ledgerVerify(dir).firstProblem).toMatchObject(expected);
    expect(['VERSION_GAP', 'BROKEN_LINK']).toContain(ledgerVerify(dir).firstProblem?.kind);
    expect(audit(dir).report.firstProblem).toMatchObject(expected);
  });

  it('swap two neighbouring events of different streams: every chain holds, the next seal\'s root does not, by both', () => {
    const dir = copy();
    const db = open(dir);
    const rows = rowsOf(db);
    const i = rows.findIndex((r, k) => k > 5 && rows[k + 1] && rows[k + 1].stream_id !== r.stream_id && r.stream_id !== 'ledger-seals' && rows[k + 1].stream_id !== 'ledger-seals');
    const [a, b] = [rows[i], rows[i + 1]];
    db.prepare('UPDATE events SET global_position = -1 WHERE global_position = ?').run(a.global_position);
    db.prepare('UPDATE events SET global_position = ? WHERE global_position = ?').run(a.global_position, b.global_position);
    db.prepare('UPDATE events SET global_position = ? WHERE global_position = -1').run(b.global_position);
    const nextSeal = rowsOf(db, "stream_id = 'ledger-seals' AND global_position > ?", b.global_position)[0];
    db.close();
    for (const problem of [ledgerVerify(dir).firstProblem, audit(dir).report.firstProblem]) {
      expect(problem).toMatchObject({ kind: 'EVENT_RULE', position: nextSeal.global_position });
      expect(problem?.detail).toMatch(/seal root does not match/);
    }
  });

  it('truncate the tail (the last 10 events, seals with them): ledger verify by the signer\'s record; ledger-audit by the kept seal', () => {
    const dir = copy();
    const db = open(dir);
    const head = (db.prepare('SELECT MAX(global_position) AS h FROM events').get() as { h: number }).h;
    db.prepare('DELETE FROM events WHERE global_position > ?').run(head - 10);
    db.close();
    expect(ledgerVerify(dir).firstProblem).toMatchObject({ kind: 'TRUNCATED', position: head - 9 });
    // Without anything kept from before, a shorter log is a consistent log: the auditor keeps seals.
    expect(audit(dir).report.ok).toBe(true);
    expect(audit(dir, ['--kept-seal', keptSealFile]).report.firstProblem).toMatchObject({ kind: 'TRUNCATED', position: head - 9 });
  });

  it('delete a whole stream and renumber the positions after it: the next seal does not match, by both', () => {
    const dir = copy();
    const db = open(dir);
    const victim = rowsOf(db, "stream_id LIKE 'movement-%'")[3].stream_id;
    const gone = rowsOf(db, 'stream_id = ?', victim);
    db.prepare('DELETE FROM events WHERE stream_id = ?').run(victim);
    let next = gone[0].global_position;
    for (const r of rowsOf(db, 'global_position > ?', gone[0].global_position)) {
      db.prepare('UPDATE events SET global_position = ? WHERE global_position = ?').run(next++, r.global_position);
    }
    db.close();
    for (const problem of [ledgerVerify(dir).firstProblem, audit(dir).report.firstProblem]) {
      expect(problem?.kind).toBe('EVENT_RULE');
      expect(problem?.detail).toMatch(/seal/);
    }
  });

  it('an insider edits an amount and recomputes the stream\'s (and the fund\'s) hashes: the next seal does not match, by both', () => {
    const dir = copy();
    const db = open(dir);
    const posted = rowsOf(db, "type = 'MovementPosted'")[1];
    setData(db, posted.global_position, (d) => ((d.postings as Array<{ amountMinor: number }>)[0].amountMinor = 999_999_00));
    rehashStream(db, posted.stream_id);
    // The fund's entry of the same command (same correlation id).
    const correlation = JSON.parse(posted.metadata).correlationId;
    const entry = rowsOf(db, "type = 'FundEntryPosted'").find((r) => JSON.parse(r.metadata).correlationId === correlation)!;
    setData(db, entry.global_position, (d) => (d.deltaMinor = 999_999_00));
    rehashStream(db, entry.stream_id);
    const nextSeal = rowsOf(db, "stream_id = 'ledger-seals' AND global_position > ?", Math.min(posted.global_position, entry.global_position))[0];
    db.close();
    rmSync(join(dir, 'readmodels.db'), { force: true });
    rmSync(join(dir, 'merkle.db'), { force: true });
    for (const problem of [ledgerVerify(dir).firstProblem, audit(dir).report.firstProblem]) {
      expect(problem).toMatchObject({ kind: 'EVENT_RULE', position: nextSeal.global_position });
      expect(problem?.detail).toMatch(/seal root does not match the log: an event (from the start|after position \d+) up to/);
    }
  });

  it('append a forged event with a correct chain: ledger verify (after a clean shutdown) and ledger-audit --require-sealed; /health at restart', async () => {
    const dir = copy();
    const db = open(dir);
    const last = rowsOf(db, "stream_id LIKE 'fund-%'").pop()!;
    const head = (db.prepare('SELECT MAX(global_position) AS h FROM events').get() as { h: number }).h;
    const forged: HashedEnvelope = { ...envelopeOf(last), eventId: '01a2a2a2-0000-7000-8000-000000000000', streamVersion: last.stream_version + 1, prevHash: last.hash };
    db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      head + 1, forged.eventId, forged.streamId, forged.streamVersion, forged.type, forged.schemaVersion, forged.recordedAt, forged.effectiveAt,
      canonicalJson(forged.data), canonicalJson(forged.metadata), forged.prevHash, computeEventHash(forged),
    );
    db.close();
    expect(ledgerVerify(dir).firstProblem).toMatchObject({ kind: 'UNSEALED_TAIL', position: head + 1 });
    expect(audit(dir).report.seals.unsealedEvents).toBe(1);
    const strict = audit(dir, ['--require-sealed']);
    expect(strict.status).toBe(1);
    expect(strict.report.firstProblem).toMatchObject({ kind: 'UNSEALED_TAIL', position: head + 1 });
    // The service, started on it, does not seal the forgery and is not ready.
    const app = await createApp(testConfig(dir, { sealIntervalSeconds: 3600 }), { logger: false });
    await app.init();
    try {
      await app.get(SealService).tick();
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(JSON.parse(health.body).checks.seals).toMatchObject({ status: 'unsealed-tail', problem: { kind: 'UNSEALED_TAIL', position: head + 1 } });
    } finally {
      await app.close();
    }
  });

  it('a seal with a bad signature (its hash recomputed): named at its position, by both', () => {
    const dir = copy();
    const db = open(dir);
    const seal = rowsOf(db, "type = 'LogSealed'")[1];
    setData(db, seal.global_position, (d) => {
      const sig = Buffer.from(String(d.signature), 'base64');
      sig[5] ^= 0xff;
      d.signature = sig.toString('base64');
    });
    rehashStream(db, 'ledger-seals');
    db.close();
    for (const problem of [ledgerVerify(dir).firstProblem, audit(dir).report.firstProblem]) {
      expect(problem).toMatchObject({ kind: 'EVENT_RULE', position: seal.global_position });
      expect(problem?.detail).toMatch(/signature is not valid/);
    }
  });

  it('ledger-audit check-proof: a genuine proof verifies; the wrong leaf, the wrong size, a tampered middle do not', () => {
    const check = (file: string, extra: string[] = []) => spawnSync(process.execPath, [AUDIT, 'check-proof', file, '--public-key', keyFile, ...extra], { encoding: 'utf8' });
    expect(check(proofFile).stdout).toMatch(/^OK: event/);
    const proof = JSON.parse(readFileSync(proofFile, 'utf8'));
    const variants = {
      leaf: { ...proof, leafIndex: proof.leafIndex - 1 },
      size: { ...proof, treeSize: proof.treeSize + 1 },
      path: { ...proof, auditPath: proof.auditPath.map((h: string, i: number) => (i === 1 ? h.replace(/^./, (c: string) => (c === 'a' ? 'b' : 'a')) : h)) },
    };
    for (const [name, doc] of Object.entries(variants)) {
      const file = join(work, `proof-${name}.json`);
      writeFileSync(file, JSON.stringify(doc));
      const run = check(file);
      expect({ name, status: run.status }).toEqual({ name, status: 1 });
      expect(run.stdout).toMatch(/^BROKEN: /);
    }
    expect(check(consistencyFile, ['--first-seal', firstSealFile]).stdout).toMatch(/^OK: the log of tree size/);
    const consistency = JSON.parse(readFileSync(consistencyFile, 'utf8'));
    const middle = Math.floor(consistency.path.length / 2);
    consistency.path[middle] = consistency.path[middle].replace(/^./, (c: string) => (c === 'a' ? 'b' : 'a'));
    const tampered = join(work, 'consistency-tampered.json');
    writeFileSync(tampered, JSON.stringify(consistency));
    expect(check(tampered, ['--first-seal', firstSealFile]).status).toBe(1);
  });

  it('ledger import loads an export into an empty directory, verifying as it goes; a broken one is refused and leaves nothing', () => {
    const dir = copy();
    const file = join(dir, 'export.ndjson');
    expect(ledgerCli(dir, ['export', '-o', file]).status).toBe(0);
    const target = mkdtempSync(join(tmpdir(), 'ledger-import-'));
    copies.push(target);
    const imported = ledgerCli(target, ['import', file, '--public-key', keyFile]);
    expect(imported.stdout).toMatch(/^Imported \d+ events/);
    expect(imported.status).toBe(0);
    // The history is the same, seals and all: verify passes there and an export of it is the same log.
    expect(ledgerVerify(target)).toMatchObject({ ok: true });
    const again = join(target, 'again.ndjson');
    expect(ledgerCli(target, ['export', '-o', again]).status).toBe(0);
    const events = (f: string) => readFileSync(f, 'utf8').split('\n').filter((l) => l.startsWith('{"globalPosition"'));
    expect(events(again)).toEqual(events(file));
    expect(ledgerCli(target, ['import', file, '--public-key', keyFile]).stderr).toMatch(/already holds a log/);

    const lines = readFileSync(file, 'utf8').split('\n');
    // The line carries the stored metadata text: edit the actor in it.
    const line = JSON.parse(lines[12]);
    line.metadata = JSON.stringify({ ...JSON.parse(line.metadata), actorId: 'token:mallory' });
    lines[12] = JSON.stringify(line);
    const broken = join(dir, 'broken.ndjson');
    writeFileSync(broken, lines.join('\n'));
    const empty = mkdtempSync(join(tmpdir(), 'ledger-import-'));
    copies.push(empty);
    const refused = ledgerCli(empty, ['import', broken, '--public-key', keyFile]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/^REFUSED: nothing imported\.\nBROKEN at position 12 .*HASH_MISMATCH/);
    expect(existsSync(join(empty, 'events.db'))).toBe(false);
  });

  it('ledger import makes an absent data directory, keeps the keys copied there, and refuses one holding another history\'s files', () => {
    const dir = copy();
    const file = join(dir, 'export.ndjson');
    expect(ledgerCli(dir, ['export', '-o', file]).status).toBe(0);
    const parent = mkdtempSync(join(tmpdir(), 'ledger-import-'));
    copies.push(parent);
    const absent = join(parent, 'new', 'data');
    const made = ledgerCli(absent, ['import', file, '--public-key', keyFile]);
    expect(made.stderr).toBe('');
    expect(made.stdout).toMatch(/^Imported \d+ events/);
    expect(made.status).toBe(0);
    expect(ledgerVerify(absent)).toMatchObject({ ok: true });
    // The sustainers' keys (not in any export) copied beside it are kept.
    const withKeys = join(parent, 'with-keys');
    cpSync(join(dir, 'keys.db'), join(withKeys, 'keys.db'));
    expect(ledgerCli(withKeys, ['import', file, '--public-key', keyFile]).status).toBe(0);
    expect(readFileSync(join(withKeys, 'keys.db'))).toEqual(readFileSync(join(dir, 'keys.db')));
    // Left-overs of another ledger (its Merkle tree, its read models): refused, exit 1, nothing written.
    const stale = join(parent, 'stale');
    cpSync(join(dir, 'merkle.db'), join(stale, 'merkle.db'));
    cpSync(join(dir, 'readmodels.db'), join(stale, 'readmodels.db'));
    const refused = ledgerCli(stale, ['import', file, '--public-key', keyFile]);
    expect(refused.stderr).toMatch(/^ledger: .*stale is not empty \(merkle\.db, readmodels\.db\): import needs an empty data directory/);
    expect(refused.status).toBe(1);
    expect(existsSync(join(stale, 'events.db'))).toBe(false);
    expect(existsSync(join(stale, 'seal-keys.db'))).toBe(false);
  });
});
