import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { SystemClock } from '../src/shared/clock';
import { ledgerCli } from './support/processes';

const metadata = { actorId: 'test', actorRole: 'steward', correlationId: 'c', causationId: 'c' };

describe('ledger verify on a damaged file', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-corrupt-'));
    const store = new SqliteEventStore({ file: join(dataDir, 'events.db'), clock: new SystemClock(), synchronous: 'NORMAL' });
    for (let i = 1; i <= 3000; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) =>
          // A type the catalogue knows, so verify's only finding is the damaged page.
          store.append(
            `s-${(i + j) % 7}`,
            [{ type: 'IdempotentRequestRecorded', schemaVersion: 1, data: { fingerprint: 'f', response: { marker: `MARK-${String(i + j).padStart(5, '0')}-`, pad: 'x'.repeat(200) } } }],
            'any',
            metadata,
          ),
        ),
      );
    }
    await store.close();
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('names the first unreadable position and the range, not position 0', () => {
    const file = join(dataDir, 'events.db');
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // The table leaf page holding event 1500 (its marker is in no index): overwrite it with garbage.
    const at = bytes.indexOf('MARK-01500-');
    expect(at).toBeGreaterThan(0);
    const page = Math.floor(at / pageSize);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, page * pageSize);
    closeSync(fd);

    const json = ledgerCli(dataDir, ['verify', '--json']);
    expect(json.status).toBe(1);
    const problem = JSON.parse(json.stdout).firstProblem;
    expect(problem.kind).toBe('UNREADABLE');
    expect(problem.position).toBeGreaterThan(1400);
    expect(problem.position).toBeLessThanOrEqual(1500);
    expect(problem.lastReadPosition).toBe(problem.position - 1);
    expect(problem.unreadableTo).toBeGreaterThanOrEqual(1500);
    expect(problem.nextReadablePosition).toBe(problem.unreadableTo + 1);

    const text = ledgerCli(dataDir, ['verify']);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(`BROKEN at position ${problem.position}: UNREADABLE`);
    expect(text.stdout).toContain(`unreadable through ${problem.unreadableTo}; readable again at ${problem.nextReadablePosition}`);
    expect(text.stdout).not.toContain('undefined');
  });
});
