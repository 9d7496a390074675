import { GENESIS_HASH, RecordedEvent, sealEvent } from '../../event-store/envelope';
import { verifyLog } from './verify-log';

const metadata = { actorId: 'a', actorRole: 'steward', correlationId: 'c', causationId: 'c' };

/** A well-formed log: streams `a` and `b` interleaved, positions 1..n. */
function log(n: number): RecordedEvent[] {
  const heads = new Map<string, { version: number; hash: string }>();
  return Array.from({ length: n }, (_, i) => {
    const streamId = i % 2 === 0 ? 'a' : 'b';
    const head = heads.get(streamId);
    const sealed = sealEvent(
      { type: 'Thing', schemaVersion: 1, data: { i } },
      { streamId, streamVersion: head ? head.version + 1 : 0, prevHash: head?.hash ?? GENESIS_HASH },
      { eventId: `e${i}`, recordedAt: '2026-01-01T00:00:00.000Z', metadata },
    );
    heads.set(streamId, { version: sealed.streamVersion, hash: sealed.hash });
    return { ...sealed, globalPosition: i + 1 };
  });
}

async function* iterate(events: RecordedEvent[]): AsyncIterable<RecordedEvent> {
  yield* events;
}

const verify = (events: RecordedEvent[], gapFreePositions = true) => verifyLog(iterate(events), { gapFreePositions });

describe('verifyLog', () => {
  it('passes an untouched log', async () => {
    const report = await verify(log(10));
    expect(report).toMatchObject({ ok: true, eventsChecked: 10, streamsChecked: 2, lastPosition: 10, problems: [] });
  });

  it('reports changed data as a hash mismatch at its position', async () => {
    const events = log(10);
    events[4] = { ...events[4], data: { i: 999 } };
    const report = await verify(events);
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toMatchObject({ kind: 'HASH_MISMATCH', position: 5, streamId: 'a', expected: events[4].hash });
  });

  it('reports a removed event as a gap in its stream and in the log', async () => {
    const events = log(10);
    events.splice(4, 1);
    const report = await verify(events);
    expect(report.problems.map((p) => [p.kind, p.position])).toEqual([
      ['POSITION_GAP', 6],
      ['VERSION_GAP', 7],
      ['BROKEN_LINK', 7],
    ]);
    // Without gap-free positions (a clustered store) the stream chain still catches it.
    expect((await verify(events, false)).firstProblem).toMatchObject({ kind: 'VERSION_GAP', position: 7 });
  });

  it('reports events out of order, and a rule an event breaks', async () => {
    const events = log(6);
    [events[2], events[3]] = [events[3], events[2]];
    expect((await verify(events)).firstProblem).toMatchObject({ kind: 'POSITION_GAP', position: 4 });
    const ruled = await verifyLog(iterate(log(3)), {
      gapFreePositions: true,
      rules: [(e) => ((e.data as { i: number }).i === 1 ? 'postings do not balance' : undefined)],
    });
    expect(ruled.firstProblem).toMatchObject({ kind: 'EVENT_RULE', position: 2, detail: 'postings do not balance' });
  });

  it('reports an unreadable event after the last good position', async () => {
    async function* broken(): AsyncIterable<RecordedEvent> {
      yield* log(3);
      throw new SyntaxError('Unexpected token');
    }
    const report = await verifyLog(broken(), { gapFreePositions: true });
    expect(report.firstProblem).toMatchObject({ kind: 'UNREADABLE', position: 3 });
  });
});
