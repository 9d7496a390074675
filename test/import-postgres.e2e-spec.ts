import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SealService } from '../src/audit/seals/seal.service';
import { seed, tokens } from './support/api';
import { POSTGRES_URL, TestDatabase, createTestDatabase } from './support/postgres';
import { ROOT, ledgerCli } from './support/processes';
import { startTestApp } from './support/test-app';

/**
 * `ledger import` into the other store the issue names: an export of a sealed embedded ledger
 * loaded into an empty PostgreSQL log (LEDGER_STORE=postgres), all or nothing. Needs
 * LEDGER_POSTGRES_URL; skipped otherwise.
 */
const suite = POSTGRES_URL ? describe : describe.skip;

suite('ledger import into PostgreSQL (LEDGER_POSTGRES_URL)', () => {
  let work: string;
  let source: string;
  let db: TestDatabase;
  let exportFile: string;
  let keyFile: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ledger-import-pg-'));
    const t = await startTestApp({ config: { seedFunds: 'default', sealIntervalSeconds: 3600, sealEveryEvents: 1_000_000 } });
    const steward = await tokens.steward(t);
    const c = { post: (url: string, body: unknown) => t.request('POST', url, { token: steward, body }), get: (url: string) => t.request('GET', url, { token: steward }) } as never;
    const funds: Record<string, string> = {};
    for (const f of (await t.request('GET', '/v1/funds', { token: steward })).body.items) funds[f.code] = f.fundId;
    for (let i = 0; i < 3; i++) expect((await seed.income(c, funds.general, 100_00 + i, `2026-01-0${i + 1}`)).status).toBe(201);
    await t.app.get(SealService).tick(true);
    keyFile = join(work, 'key.pem');
    writeFileSync(keyFile, (await t.request('GET', '/v1/seals/public-key')).body.current.publicKey);
    await t.app.close();
    source = t.dataDir;
    exportFile = join(work, 'export.ndjson');
    expect(ledgerCli(source, ['export', '-o', exportFile]).status).toBe(0);
    db = await createTestDatabase('import');
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
    for (const dir of [work, source]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const importInto = (dataDir: string, file: string) =>
    spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli.js'), 'import', file, '--public-key', keyFile], {
      cwd: ROOT,
      env: { ...process.env, LEDGER_DATA_DIR: dataDir, LEDGER_STORE: 'postgres', LEDGER_POSTGRES_URL: db.url },
      encoding: 'utf8',
      timeout: 60_000,
    });
  const logOf = async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const events = await client.query<{ global_position: string; hash: string }>('SELECT global_position, hash FROM ledger_events ORDER BY global_position');
      const head = await client.query<{ position: string }>('SELECT position FROM ledger_head');
      return { positions: events.rows.map((r) => Number(r.global_position)), hashes: events.rows.map((r) => r.hash), head: Number(head.rows[0].position) };
    } finally {
      await client.end();
    }
  };

  it('refuses a broken export and writes nothing; loads a good one with its positions and hashes; refuses a second import', async () => {
    const lines = readFileSync(exportFile, 'utf8').split('\n');
    const exported = lines.filter((l) => l.startsWith('{"globalPosition"')).map((l) => JSON.parse(l) as { globalPosition: number; hash: string });
    const broken = join(work, 'broken.ndjson');
    const line = JSON.parse(lines[8]);
    line.metadata = JSON.stringify({ ...JSON.parse(line.metadata), actorId: 'token:mallory' });
    writeFileSync(broken, [...lines.slice(0, 8), JSON.stringify(line), ...lines.slice(9)].join('\n'));
    const refused = importInto(join(work, 'refused'), broken);
    expect(refused.stdout).toMatch(/^REFUSED: nothing imported\.\nBROKEN at position 8 .*HASH_MISMATCH/);
    expect(refused.status).toBe(1);
    expect((await logOf()).positions).toEqual([]);

    const dataDir = join(work, 'data');
    const imported = importInto(dataDir, exportFile);
    expect(imported.stdout).toMatch(/^Imported \d+ events/);
    expect(imported.status).toBe(0);
    const log = await logOf();
    expect(log.positions).toEqual(exported.map((e) => e.globalPosition));
    expect(log.hashes).toEqual(exported.map((e) => e.hash));
    expect(log.head).toBe(exported[exported.length - 1].globalPosition);

    // The imported log verifies there, its seals checked against the keys the import trusted.
    const verify = spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli.js'), 'verify', '--json'], {
      cwd: ROOT,
      env: { ...process.env, LEDGER_DATA_DIR: dataDir, LEDGER_STORE: 'postgres', LEDGER_POSTGRES_URL: db.url },
      encoding: 'utf8',
    });
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, seals: { sealsChecked: expect.any(Number) } });
    expect(JSON.parse(verify.stdout).seals.sealsChecked).toBeGreaterThanOrEqual(1);

    const again = importInto(join(work, 'again'), exportFile);
    expect(again.stderr).toMatch(/already holds events: import needs an empty log/);
    expect(again.status).toBe(1);
  });
});
