import type { RecordedEvent } from '../../event-store/envelope';
import type { EventStore } from '../../event-store/event-store.port';

/**
 * The export format, NDJSON: a header line, one line per event in log order (the event whole, as
 * recorded: seals and key rotations are events too), and an end line. Read and written a line at
 * a time, so memory stays bounded whatever the size of the log.
 *
 * The header's public keys are for information only: a verifier must be given the key it trusts
 * from elsewhere (the public route, the CLI, the auditor's own records).
 */
export const EXPORT_FORMAT = 'mutual-aid-ledger-export';
export const EXPORT_VERSION = 1;

export interface ExportHeader {
  readonly format: typeof EXPORT_FORMAT;
  readonly version: number;
  readonly exportedAt: string;
  readonly headPosition: number;
  readonly positionsAreGapFree: boolean;
  readonly publicKeys: ReadonlyArray<{ keyId: string; publicKey: string; status: string }>;
}

export interface ExportEnd {
  readonly end: true;
  readonly events: number;
  readonly lastPosition: number;
}

export type ExportLine = { kind: 'header'; header: ExportHeader } | { kind: 'event'; event: RecordedEvent } | { kind: 'end'; end: ExportEnd };

/** One line of an export, or why it is not one. */
export function parseExportLine(line: string): ExportLine | { kind: 'bad'; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'bad', reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'bad', reason: 'not a JSON object' };
  const v = value as Record<string, unknown>;
  if (v.format === EXPORT_FORMAT) return { kind: 'header', header: v as unknown as ExportHeader };
  if (v.end === true) return { kind: 'end', end: v as unknown as ExportEnd };
  if (typeof v.eventId === 'string' && typeof v.globalPosition === 'number' && typeof v.hash === 'string') {
    return { kind: 'event', event: v as unknown as RecordedEvent };
  }
  return { kind: 'bad', reason: 'neither header, event nor end line' };
}

/** The event as one export line: exactly the recorded fields, so the verifier hashes what the store holds. */
export function eventLine(event: RecordedEvent): string {
  const { globalPosition, eventId, type, schemaVersion, streamId, streamVersion, recordedAt, effectiveAt, data, metadata, prevHash, hash } = event;
  return JSON.stringify({ globalPosition, eventId, type, schemaVersion, streamId, streamVersion, recordedAt, effectiveAt, data, metadata, prevHash, hash });
}

/**
 * The whole log as export lines (each with its newline), up to the head at the start. The
 * caller writes them with backpressure; `onProgress` sees the position every 10,000 events.
 */
export async function* exportLog(
  store: EventStore,
  publicKeys: ExportHeader['publicKeys'],
  options: { onProgress?: (position: number, head: number) => void; now?: () => Date } = {},
): AsyncGenerator<string> {
  const head = await store.headPosition();
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: (options.now?.() ?? new Date()).toISOString(),
    headPosition: head,
    positionsAreGapFree: store.positionsAreGapFree,
    publicKeys,
  };
  yield `${JSON.stringify(header)}\n`;
  let count = 0;
  let last = 0;
  let chunk = '';
  for await (const event of store.readAll()) {
    if (event.globalPosition > head) break;
    chunk += `${eventLine(event)}\n`;
    count += 1;
    last = event.globalPosition;
    if (count % 256 === 0) {
      yield chunk;
      chunk = '';
    }
    if (count % 10_000 === 0) options.onProgress?.(last, head);
  }
  if (chunk) yield chunk;
  options.onProgress?.(last, head);
  const end: ExportEnd = { end: true, events: count, lastPosition: last };
  yield `${JSON.stringify(end)}\n`;
}
