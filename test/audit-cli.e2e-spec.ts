import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort, ledgerCli, startService } from './support/processes';

describe('ledger CLI: tokens, verify and replay on a real data directory', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates a token whose secret is alone on the last line, and lists and revokes it', () => {
    const created = ledgerCli(dataDir, ['tokens', 'create', '--role', 'steward', '--name', 'Ana (steward)']);
    expect(created.status).toBe(0);
    const lines = created.stdout.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^mal_[A-Za-z0-9_-]{43}$/);

    const listed = ledgerCli(dataDir, ['tokens', 'list']);
    expect(listed.stdout).toMatch(/steward\t-\tAna \(steward\)\tactive/);
    const tokenId = listed.stdout.split('\t')[0];
    expect(ledgerCli(dataDir, ['tokens', 'revoke', tokenId]).status).toBe(0);
    expect(ledgerCli(dataDir, ['tokens', 'list']).stdout).toMatch(/revoked/);
    expect(ledgerCli(dataDir, ['tokens', 'revoke', tokenId]).stderr).toContain('already revoked');
  });

  it('refuses a bad role or a missing subject', () => {
    expect(ledgerCli(dataDir, ['tokens', 'create', '--role', 'king', '--name', 'x']).status).not.toBe(0);
    const noSubject = ledgerCli(dataDir, ['tokens', 'create', '--role', 'sustainer', '--name', 'x']);
    expect(noSubject.status).not.toBe(0);
    expect(noSubject.stderr).toContain('bound to a subject');
  });

  it('verifies an untouched log, and reports the position of a row changed behind its back', () => {
    for (let i = 0; i < 3; i++) ledgerCli(dataDir, ['tokens', 'create', '--role', 'auditor', '--name', `auditor-${i}`]);
    const ok = ledgerCli(dataDir, ['verify']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^OK: \d+ events/);

    const replay = ledgerCli(dataDir, ['replay']);
    expect(replay.stdout).toMatch(/^OK: /);
    expect(replay.status).toBe(0);

    const db = new Database(join(dataDir, 'events.db'));
    db.exec('DROP TRIGGER events_refuse_update');
    db.prepare(`UPDATE events SET data = json_set(data, '$.name', 'mallory') WHERE global_position = 3`).run();
    db.close();
    const broken = ledgerCli(dataDir, ['verify', '--json']);
    expect(broken.status).toBe(1);
    const report = JSON.parse(broken.stdout);
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toMatchObject({ kind: 'HASH_MISMATCH', position: 3 });
    expect(ledgerCli(dataDir, ['verify']).stdout).toContain('BROKEN at position 3');
  });

  it('replay reports a read model that differs from the log', () => {
    const db = new Database(join(dataDir, 'readmodels.db'));
    db.prepare(`UPDATE api_tokens SET name = 'edited by hand' WHERE rowid = 1`).run();
    db.close();
    const replay = ledgerCli(dataDir, ['replay']);
    expect(replay.status).toBe(1);
    expect(replay.stdout).toContain('DIFFERENT: api-tokens.api_tokens');
  });
});

describe('verify detects deletion and reordering', () => {
  it('reports a deleted event by its position', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
    try {
      for (let i = 0; i < 4; i++) ledgerCli(dataDir, ['tokens', 'create', '--role', 'auditor', '--name', `a${i}`]);
      const db = new Database(join(dataDir, 'events.db'));
      db.exec('DROP TRIGGER events_refuse_delete');
      db.prepare('DELETE FROM events WHERE global_position = 2').run();
      db.close();
      const report = JSON.parse(ledgerCli(dataDir, ['verify', '--json']).stdout);
      expect(report.firstProblem).toMatchObject({ kind: 'POSITION_GAP', position: 3, expected: 2 });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('crash safety', () => {
  it('loses no acknowledged write and leaves no partial one when the service is SIGKILLed mid-stream', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-crash-'));
    try {
      const created = ledgerCli(dataDir, ['tokens', 'create', '--role', 'steward', '--name', 'crash']);
      const token = created.stdout.trim().split('\n').pop()!;
      const port = freePort();
      const service = await startService(dataDir, port);
      const acknowledged: string[] = [];
      let next = 0;
      let killed = false;
      const writer = async (): Promise<void> => {
        while (!killed) {
          const code = `crash-${next++}`;
          try {
            const res = await fetch(`http://127.0.0.1:${port}/v1/funds`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ code, name: code, currency: 'EUR', restriction: { class: 'unrestricted' } }),
            });
            if (res.status === 201) acknowledged.push(((await res.json()) as { fundId: string }).fundId);
          } catch {
            return; // the connection died with the process
          }
        }
      };
      const writers = Array.from({ length: 8 }, writer);
      const deadline = Date.now() + 20_000;
      while (acknowledged.length < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      service.kill('SIGKILL');
      killed = true;
      await Promise.all(writers);
      if (service.exitCode === null && service.signalCode === null) await new Promise((r) => service.once('exit', r));
      expect(acknowledged.length).toBeGreaterThanOrEqual(200);

      const verify = ledgerCli(dataDir, ['verify', '--json']);
      expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
      const db = new Database(join(dataDir, 'events.db'), { readonly: true });
      const opened = db.prepare("SELECT json_extract(data, '$.fundId') AS id FROM events WHERE type = 'FundOpened'").all() as Array<{ id: string }>;
      const reserved = db.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'FundCodeReserved'").get() as { n: number };
      db.close();
      const stored = new Set(opened.map((r) => r.id));
      for (const id of acknowledged) expect(stored.has(id)).toBe(true);
      // Each opening writes two streams atomically: never one without the other.
      expect(reserved.n).toBe(opened.length);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
