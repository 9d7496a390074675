import { GENESIS_HASH, RecordedEvent, computeEventHash, hashedPart } from '../../event-store/envelope';
import type { EventStore } from '../../event-store/event-store.port';

export type ProblemKind =
  | 'HASH_MISMATCH'
  | 'BROKEN_LINK'
  | 'VERSION_GAP'
  | 'POSITION_GAP'
  | 'POSITION_ORDER'
  | 'UNREADABLE'
  | 'EVENT_RULE'
  | 'TRUNCATED'
  | 'UNSEALED_TAIL';

export interface LogProblem {
  readonly kind: ProblemKind;
  /** Position of the broken event; for UNREADABLE, the first position that could not be read. */
  readonly position: number;
  readonly streamId?: string;
  readonly streamVersion?: number;
  readonly eventId?: string;
  readonly detail: string;
  readonly expected?: string | number;
  readonly actual?: string | number;
  /** UNREADABLE: the last position read before it (0 when none was). */
  readonly lastReadPosition?: number;
  /** UNREADABLE: the last position of the unreadable range, when a readable event follows it. */
  readonly unreadableTo?: number;
  /** UNREADABLE: the first readable position after the range, if any. */
  readonly nextReadablePosition?: number;
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

/**
 * Reads the first event at or after a position on its own: the event, `unreadable`, or `end`
 * when the log has nothing at or after it.
 */
export type Probe = (position: number) => Promise<RecordedEvent | 'unreadable' | 'end'>;

export interface VerifyOptions {
  readonly gapFreePositions: boolean;
  readonly rules?: readonly EventRule[];
  readonly onProgress?: (position: number) => void;
  /**
   * Reads single positions after a read fails, to name the first unreadable event and the end
   * of the unreadable range (a page read fails as a whole, so the failure alone says little).
   */
  readonly probe?: Probe;
  /** Called once the last event was read, before the report is made (the seal checks end there). */
  readonly onEnd?: (verifier: LogVerifier) => void;
}

const MAX_PROBLEMS = 100;
const NO_RULES: readonly EventRule[] = [];

/** Where a problem is: made only for a problem (most events have none), no closure per event. */
function where(event: RecordedEvent, withVersion = true): Pick<LogProblem, 'position' | 'streamId' | 'streamVersion' | 'eventId'> {
  return withVersion
    ? { position: event.globalPosition, streamId: event.streamId, streamVersion: event.streamVersion, eventId: event.eventId }
    : { position: event.globalPosition, streamId: event.streamId, eventId: event.eventId };
}
/** How far past an unreadable event the probe looks for the next readable one. */
const MAX_PROBES = 100_000;

/**
 * The state of a verification in progress: one hash and revision per stream, and the last
 * position. Fed event by event, so a background verifier can go on from where it stopped.
 */
export class LogVerifier {
  private readonly heads = new Map<string, { version: number; hash: string }>();
  private readonly problems: LogProblem[] = [];
  private count = 0;
  private lastPosition = 0;

  constructor(private readonly options: VerifyOptions) {}

  get position(): number {
    return this.lastPosition;
  }

  get failed(): boolean {
    return this.problems.length > 0;
  }

  /** Adds a problem found outside check() (a kept seal the log no longer reaches). */
  addProblem(problem: LogProblem): void {
    this.report(problem);
  }

  private report(problem: LogProblem): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(problem);
  }

  /** A problem of this event, described only while the report has room for it. */
  private problemAt(event: RecordedEvent, problem: Omit<LogProblem, 'position' | 'streamId' | 'streamVersion' | 'eventId'>, withVersion = true): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ ...where(event, withVersion), ...problem });
  }

  /**
   * Checks the next event. `recomputed` is its hash when the caller already computed it from the
   * stored text (hashEnvelopeText: the export's data and metadata are that text), else it is
   * computed here from the event. `ruled`: the first `rules` of the options' rules were already
   * run on this event elsewhere (a verifier thread) and found `problems`; they are reported in
   * their place and only the rules after them run here.
   */
  check(event: RecordedEvent, recomputed?: string, ruled?: { readonly rules: number; readonly problems: readonly string[] }): void {
    // All or nothing: where a rule (or reading the event) throws, the verifier is left as it was,
    // so the probe that follows reads this event again and checks it whole.
    const reported = this.problems.length;
    try {
      this.checkEvent(event, recomputed, ruled);
    } catch (error) {
      this.problems.length = reported;
      throw error;
    }
  }

  private checkEvent(event: RecordedEvent, recomputed: string | undefined, ruled: { readonly rules: number; readonly problems: readonly string[] } | undefined): void {
    const { options } = this;
    this.checkPosition(event);

    const actual = recomputed ?? computeEventHash(hashedPart(event));
    if (actual !== event.hash) this.problemAt(event, { kind: 'HASH_MISMATCH', detail: 'the stored event does not match its hash', expected: event.hash, actual });
    const head = this.heads.get(event.streamId);
    const expectedVersion = head ? head.version + 1 : 0;
    if (event.streamVersion !== expectedVersion) {
      this.problemAt(event, { kind: 'VERSION_GAP', detail: 'stream revisions are not consecutive', expected: expectedVersion, actual: event.streamVersion });
    }
    const expectedPrev = head ? head.hash : GENESIS_HASH;
    if (event.prevHash !== expectedPrev) {
      this.problemAt(event, { kind: 'BROKEN_LINK', detail: 'prevHash does not link to the previous event of the stream', expected: expectedPrev, actual: event.prevHash });
    }
    const rules = options.rules ?? NO_RULES;
    if (ruled) for (const broken of ruled.problems) this.problemAt(event, { kind: 'EVENT_RULE', detail: broken });
    for (let i = ruled ? ruled.rules : 0; i < rules.length; i++) {
      const broken = rules[i](event);
      if (broken) this.problemAt(event, { kind: 'EVENT_RULE', detail: broken });
    }
    // Nothing below throws: the event is taken.
    this.count += 1;
    this.lastPosition = event.globalPosition;
    if (head) {
      head.version = event.streamVersion;
      head.hash = event.hash;
    } else {
      this.heads.set(event.streamId, { version: event.streamVersion, hash: event.hash });
    }
    if (this.count % 10_000 === 0) options.onProgress?.(this.lastPosition);
  }

  private checkPosition(event: RecordedEvent): void {
    const { lastPosition } = this;
    if (event.globalPosition <= lastPosition) {
      this.problemAt(event, { kind: 'POSITION_ORDER', detail: 'global positions do not increase', expected: `> ${lastPosition}`, actual: event.globalPosition }, false);
    } else if (this.options.gapFreePositions && event.globalPosition !== lastPosition + 1) {
      this.problemAt(event, { kind: 'POSITION_GAP', detail: 'events are missing from the global log', expected: lastPosition + 1, actual: event.globalPosition }, false);
    }
  }

  /**
   * Reading failed after the last position checked: checks the events that can still be read
   * one by one, and reports the first that cannot and how far the unreadable range goes.
   */
  async unreadable(error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    const lastRead = this.lastPosition;
    const probe = this.options.probe;
    if (!probe) {
      this.report({ kind: 'UNREADABLE', position: lastRead + 1, lastReadPosition: lastRead, detail: `the event after position ${lastRead} cannot be read: ${reason}` });
      return;
    }
    // A page that cannot be read fails the whole page read: read on one event at a time, checking
    // each, to the first that cannot be read on its own; then look for the next one that can.
    let state = await probe(lastRead + 1);
    for (let n = 0; typeof state === 'object' && n < MAX_PROBES; n++) {
      try {
        this.check(state);
      } catch {
        // An event read whose checks cannot be made (a rule throws on it): reported as the first
        // that cannot be read, rather than taken unchecked.
        state = 'unreadable';
        break;
      }
      state = await probe(state.globalPosition + 1);
    }
    const first = this.lastPosition + 1;
    if (state !== 'unreadable') {
      this.report({ kind: 'UNREADABLE', position: first, lastReadPosition: this.lastPosition, detail: `the log cannot be read after position ${this.lastPosition}: ${reason}` });
      return;
    }
    let next = first + 1;
    state = await probe(next);
    for (let n = 0; state === 'unreadable' && n < MAX_PROBES; n++) state = await probe(++next);
    const range =
      typeof state === 'object'
        ? { unreadableTo: next - 1, nextReadablePosition: state.globalPosition, detail: `events at positions ${first} to ${next - 1} cannot be read (position ${state.globalPosition} can): ${reason}` }
        : state === 'end'
          ? { detail: `events from position ${first} to the end of the log cannot be read: ${reason}` }
          : { detail: `events from position ${first} on (at least ${MAX_PROBES} of them) cannot be read: ${reason}` };
    this.report({ kind: 'UNREADABLE', position: first, lastReadPosition: this.lastPosition, ...range });
  }

  result(): VerifyReport {
    const { problems } = this;
    return {
      ok: problems.length === 0,
      eventsChecked: this.count,
      streamsChecked: this.heads.size,
      lastPosition: this.lastPosition,
      ...(problems.length > 0 ? { firstProblem: problems[0] } : {}),
      problems: [...problems],
    };
  }
}

/**
 * Recomputes every event's hash and checks each stream's chain (prevHash and consecutive
 * revisions) and the order of the global log. Memory grows with the number of streams, not of
 * events: one hash and revision is kept per stream.
 */
export async function verifyLog(events: AsyncIterable<RecordedEvent>, options: VerifyOptions): Promise<VerifyReport> {
  const verifier = new LogVerifier(options);
  try {
    for await (const event of events) verifier.check(event);
  } catch (error) {
    await verifier.unreadable(error);
  }
  options.onProgress?.(verifier.position);
  options.onEnd?.(verifier);
  return verifier.result();
}

/** A probe that reads one event at a time from the store. */
export function storeProbe(store: EventStore): Probe {
  return async (position) => {
    try {
      for await (const event of store.readAll({ after: position - 1, maxCount: 1 })) return event;
      return 'end';
    } catch {
      return 'unreadable';
    }
  };
}

/** The report of one problem as lines of text, for the CLI: each kind names what it is about. */
export function describeProblem(p: LogProblem): string {
  const stream = p.streamId !== undefined ? ` (stream ${p.streamId}${p.streamVersion !== undefined ? `, revision ${p.streamVersion}` : ''})` : '';
  const event = p.eventId !== undefined ? ` event ${p.eventId}` : '';
  const lines = [`BROKEN at position ${p.position}${stream}: ${p.kind}: ${p.detail}`];
  switch (p.kind) {
    case 'POSITION_GAP':
      lines.push(
        `  ${Number(p.actual) - 1 > Number(p.expected) ? `positions ${p.expected} to ${Number(p.actual) - 1} are` : `position ${p.expected} is`} missing; ` +
          `the next event is at position ${p.actual}${event}`,
      );
      break;
    case 'POSITION_ORDER':
      lines.push(`  expected a position ${p.expected}; found position ${p.actual}${event}`);
      break;
    case 'VERSION_GAP':
      lines.push(`  expected revision ${p.expected}; found revision ${p.actual}${event}`);
      break;
    case 'HASH_MISMATCH':
    case 'BROKEN_LINK':
      lines.push(`  expected: ${p.expected}`, `  actual:   ${p.actual}`);
      if (event) lines.push(`  ${event.trim()}`);
      break;
    case 'UNREADABLE':
      lines.push(
        `  last position read: ${p.lastReadPosition ?? p.position - 1}; first unreadable: ${p.position}` +
          (p.unreadableTo !== undefined ? `; unreadable through ${p.unreadableTo}; readable again at ${p.nextReadablePosition}` : ''),
      );
      break;
    case 'EVENT_RULE':
      if (event) lines.push(`  ${event.trim()}`);
      break;
  }
  return lines.join('\n');
}
