import { GENESIS_HASH, RecordedEvent, computeEventHash, hashedPart } from '../../event-store/envelope';

export type ProblemKind =
  | 'HASH_MISMATCH'
  | 'BROKEN_LINK'
  | 'VERSION_GAP'
  | 'POSITION_GAP'
  | 'POSITION_ORDER'
  | 'UNREADABLE'
  | 'EVENT_RULE';

export interface LogProblem {
  readonly kind: ProblemKind;
  /** Position of the broken event (for UNREADABLE: the last position read before it). */
  readonly position: number;
  readonly streamId?: string;
  readonly streamVersion?: number;
  readonly eventId?: string;
  readonly detail: string;
  readonly expected?: string | number;
  readonly actual?: string | number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly eventsChecked: number;
  readonly streamsChecked: number;
  readonly lastPosition: number;
  readonly firstProblem?: LogProblem;
  /** At most MAX_PROBLEMS, in log order. */
  readonly problems: readonly LogProblem[];
}

/** A rule every event of some type must satisfy (e.g. postings that balance); returns what is wrong. */
export type EventRule = (event: RecordedEvent) => string | undefined;

export interface VerifyOptions {
  readonly gapFreePositions: boolean;
  readonly rules?: readonly EventRule[];
  readonly onProgress?: (position: number) => void;
}

const MAX_PROBLEMS = 100;

/**
 * Recomputes every event's hash and checks each stream's chain (prevHash and consecutive
 * revisions) and the order of the global log. Memory grows with the number of streams, not of
 * events: one hash and revision is kept per stream.
 */
export async function verifyLog(events: AsyncIterable<RecordedEvent>, options: VerifyOptions): Promise<VerifyReport> {
  const heads = new Map<string, { version: number; hash: string }>();
  const problems: LogProblem[] = [];
  const report = (problem: LogProblem): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };
  let count = 0;
  let lastPosition = 0;
  try {
    for await (const event of events) {
      count += 1;
      checkPosition(event, lastPosition, options.gapFreePositions, report);
      lastPosition = event.globalPosition;
      const where = { position: event.globalPosition, streamId: event.streamId, streamVersion: event.streamVersion, eventId: event.eventId };

      const recomputed = computeEventHash(hashedPart(event));
      if (recomputed !== event.hash) {
        report({ ...where, kind: 'HASH_MISMATCH', detail: 'the stored event does not match its hash', expected: event.hash, actual: recomputed });
      }
      const head = heads.get(event.streamId);
      const expectedVersion = head ? head.version + 1 : 0;
      if (event.streamVersion !== expectedVersion) {
        report({ ...where, kind: 'VERSION_GAP', detail: 'stream revisions are not consecutive', expected: expectedVersion, actual: event.streamVersion });
      }
      const expectedPrev = head ? head.hash : GENESIS_HASH;
      if (event.prevHash !== expectedPrev) {
        report({ ...where, kind: 'BROKEN_LINK', detail: 'prevHash does not link to the previous event of the stream', expected: expectedPrev, actual: event.prevHash });
      }
      for (const rule of options.rules ?? []) {
        const broken = rule(event);
        if (broken) report({ ...where, kind: 'EVENT_RULE', detail: broken });
      }
      heads.set(event.streamId, { version: event.streamVersion, hash: event.hash });
      if (count % 10_000 === 0) options.onProgress?.(lastPosition);
    }
  } catch (error) {
    report({ kind: 'UNREADABLE', position: lastPosition, detail: `the event after position ${lastPosition} cannot be read: ${(error as Error).message}` });
  }
  options.onProgress?.(lastPosition);
  return {
    ok: problems.length === 0,
    eventsChecked: count,
    streamsChecked: heads.size,
    lastPosition,
    ...(problems.length > 0 ? { firstProblem: problems[0] } : {}),
    problems,
  };
}

function checkPosition(
  event: RecordedEvent,
  lastPosition: number,
  gapFree: boolean,
  report: (problem: LogProblem) => void,
): void {
  const where = { position: event.globalPosition, streamId: event.streamId, eventId: event.eventId };
  if (event.globalPosition <= lastPosition) {
    report({ ...where, kind: 'POSITION_ORDER', detail: 'global positions do not increase', expected: `> ${lastPosition}`, actual: event.globalPosition });
  } else if (gapFree && event.globalPosition !== lastPosition + 1) {
    report({ ...where, kind: 'POSITION_GAP', detail: 'events are missing from the global log', expected: lastPosition + 1, actual: event.globalPosition });
  }
}
