import { GENESIS_HASH, RecordedEvent, sealEvent } from '../../event-store/envelope';
import { LogProblem, Probe, describeProblem, verifyLog } from './verify-log';

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

  it('takes an event whole or not at all: one whose rule throws, after it reported problems, is named unreadable and leaves nothing behind', async () => {
    const events = log(8);
    events[3] = { ...events[3], data: { i: 'edited' } };
    // Position 4 is both edited (a hash mismatch, reported before the rules run) and throws in a rule.
    const throwing = (event: RecordedEvent) => {
      if (event.globalPosition === 4) throw new Error('a rule could not read this event');
      return undefined;
    };
    const probe: Probe = async (position) => events.find((e) => e.globalPosition >= position) ?? 'end';
    const report = await verifyLog(iterate(events), { gapFreePositions: true, rules: [throwing], probe });
    expect(report.problems.map((p) => [p.kind, p.position])).toEqual([['UNREADABLE', 4]]);
    expect(report.problems[0]).toMatchObject({ lastReadPosition: 3, unreadableTo: 4, nextReadablePosition: 5 });
    expect(report).toMatchObject({ eventsChecked: 3, lastPosition: 3 });
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

  it('reports an unreadable event as the position after the last good one', async () => {
    async function* broken(): AsyncIterable<RecordedEvent> {
      yield* log(3);
      throw new SyntaxError('Unexpected token');
    }
    const report = await verifyLog(broken(), { gapFreePositions: true });
    expect(report.firstProblem).toMatchObject({ kind: 'UNREADABLE', position: 4, lastReadPosition: 3 });
  });

  it('probes single positions to name the first unreadable event and the end of the range', async () => {
    // A page read fails as a whole: nothing of positions 1..1000 is yielded, though 1..41 are fine.
    async function* pageFails(): AsyncIterable<RecordedEvent> {
      throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    }
    const events = log(60);
    const probe: Probe = async (p) => (p > 60 ? 'end' : p >= 42 && p <= 47 ? 'unreadable' : events[p - 1]);
    const report = await verifyLog(pageFails(), { gapFreePositions: true, probe });
    expect(report.ok).toBe(false);
    // The events before it are still verified, one by one.
    expect(report).toMatchObject({ eventsChecked: 41, lastPosition: 41 });
    expect(report.problems).toHaveLength(1);
    expect(report.firstProblem).toMatchObject({ kind: 'UNREADABLE', position: 42, lastReadPosition: 41, unreadableTo: 47, nextReadablePosition: 48 });
    const toEnd = await verifyLog(pageFails(), { gapFreePositions: true, probe: async (p) => (p >= 42 ? 'unreadable' : events[p - 1]) });
    expect(toEnd.firstProblem).toMatchObject({ kind: 'UNREADABLE', position: 42 });
  });

  it('describes every kind of problem without an undefined in it', () => {
    const problems: LogProblem[] = [
      { kind: 'POSITION_GAP', position: 6, streamId: 'a', eventId: 'e5', detail: 'events are missing from the global log', expected: 5, actual: 6 },
      { kind: 'POSITION_GAP', position: 9, detail: 'events are missing from the global log', expected: 5, actual: 9 },
      { kind: 'POSITION_ORDER', position: 4, streamId: 'a', eventId: 'e', detail: 'global positions do not increase', expected: '> 4', actual: 4 },
      { kind: 'VERSION_GAP', position: 7, streamId: 'a', streamVersion: 3, eventId: 'e', detail: 'stream revisions are not consecutive', expected: 2, actual: 3 },
      { kind: 'HASH_MISMATCH', position: 5, streamId: 'a', streamVersion: 2, eventId: 'e', detail: 'the stored event does not match its hash', expected: 'aa', actual: 'bb' },
      { kind: 'BROKEN_LINK', position: 7, streamId: 'a', streamVersion: 3, eventId: 'e', detail: 'prevHash does not link', expected: 'aa', actual: 'bb' },
      { kind: 'UNREADABLE', position: 42, lastReadPosition: 41, unreadableTo: 47, nextReadablePosition: 48, detail: 'events at positions 42 to 47 cannot be read' },
      { kind: 'UNREADABLE', position: 1, detail: 'the event after position 0 cannot be read' },
      { kind: 'EVENT_RULE', position: 2, streamId: 'a', streamVersion: 1, eventId: 'e', detail: 'postings do not balance' },
    ];
    for (const p of problems) {
      const text = describeProblem(p);
      expect(text).toMatch(new RegExp(`^BROKEN at position ${p.position}`));
      expect(text).not.toContain('undefined');
    }
    expect(describeProblem(problems[0])).toContain('position 5 is missing; the next event is at position 6 event e5');
    expect(describeProblem(problems[1])).toContain('positions 5 to 8 are missing; the next event is at position 9');
    expect(describeProblem(problems[6])).toContain('first unreadable: 42; unreadable through 47; readable again at 48');
  });
});
