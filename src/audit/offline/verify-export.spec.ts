import { Readable } from 'node:stream';
import { GENESIS_HASH, RecordedEvent, sealEvent } from '../../event-store/envelope';
import { EXPORT_FORMAT, EXPORT_VERSION, eventLine } from '../seals/export-format';
import { verifyExport } from './verify-export';

/**
 * The offline verifier with verifier threads answers what it answers line by line through
 * readline: the same lines (\n, \r\n and a lone \r), the same problems in the same order.
 */
const metadata = { actorId: 'a', actorRole: 'steward', correlationId: 'c', causationId: 'c' };

function events(n: number): RecordedEvent[] {
  const heads = new Map<string, { version: number; hash: string }>();
  return Array.from({ length: n }, (_, i) => {
    const streamId = `s-${i % 7}`;
    const head = heads.get(streamId);
    const posted = i % 3 === 0;
    const sealed = sealEvent(
      { type: posted ? 'MovementPosted' : 'Thing', schemaVersion: 1, data: posted ? { postings: [{ from: 'income:x', to: 'fund:y', amountMinor: 5 + i, asset: 'USD' }] } : { i } },
      { streamId, streamVersion: head ? head.version + 1 : 0, prevHash: head?.hash ?? GENESIS_HASH },
      { eventId: `e${i}`, recordedAt: '2026-01-01T00:00:00.000Z', metadata },
    );
    heads.set(streamId, { version: sealed.streamVersion, hash: sealed.hash });
    return { ...sealed, globalPosition: i + 1 };
  });
}

function exportText(list: RecordedEvent[], eol = '\n'): string {
  const header = JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: '2026-01-02T00:00:00.000Z', headPosition: list.length, positionsAreGapFree: true, publicKeys: [] });
  const end = JSON.stringify({ end: true, events: list.length, lastPosition: list.length });
  return [header, ...list.map(eventLine), end].join(eol) + eol;
}

/** Verified with 0, 1 and 2 threads, fed in pieces of `piece` bytes: the reports must be equal. */
async function reports(text: string, piece = 997) {
  const out = [];
  for (const workers of [0, 1, 2]) {
    const bytes = Buffer.from(text, 'utf8');
    const pieces = Array.from({ length: Math.ceil(bytes.length / piece) }, (_, i) => bytes.subarray(i * piece, (i + 1) * piece));
    out.push(await verifyExport(Readable.from(pieces), { keys: [], workers }));
  }
  expect(out[1]).toEqual(out[0]);
  expect(out[2]).toEqual(out[0]);
  return out[0];
}

describe('verifyExport in threads', () => {
  const log = events(3000);

  it('passes an untouched export (blocks of many lines, lines cut across reads)', async () => {
    const report = await reports(exportText(log), 64 * 1024 + 13);
    expect(report).toMatchObject({ ok: true, eventsChecked: 3000, valueEvents: 1000 });
  }, 60_000);

  it('splits \\r\\n and lone \\r as readline does', async () => {
    expect((await reports(exportText(log.slice(0, 50), '\r\n'), 101)).ok).toBe(true);
    expect((await reports(exportText(log.slice(0, 50), '\r'), 101)).ok).toBe(true);
  }, 60_000);

  it('reports edited, bad, blank and misplaced lines at the same positions', async () => {
    const lines = exportText(log).split('\n');
    const edited = JSON.parse(lines[11]) as Record<string, string>;
    edited.data = edited.data.replace('"i":', '"i":1');
    lines[11] = JSON.stringify(edited);
    lines[20] = 'not json';
    lines[30] = '';
    lines[40] = '{"some":"object"}';
    lines.splice(50, 1);
    lines.splice(60, 0, lines[0]);
    const report = await reports(`${lines.join('\n')}`);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind).slice(0, 3)).toEqual(['HASH_MISMATCH', 'UNREADABLE', 'POSITION_GAP']);
  }, 60_000);

  it('reports an export cut short (no end line, a last line without its line break)', async () => {
    const text = exportText(log.slice(0, 100));
    const report = await reports(text.slice(0, text.lastIndexOf('{"end"') - 40));
    expect(report.problems.map((p) => p.kind)).toContain('UNREADABLE');
    expect(report.ok).toBe(false);
  }, 60_000);
});
