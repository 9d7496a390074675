/**
 * A verifier thread of the offline verifier (verify-export.ts): parses a block of export lines
 * and recomputes each event's hash from the text the line carries, as parseExportLine does. It
 * answers each event line as a flat run of EXPORT_EVENT_FIELDS values, and any other line (the
 * header, the end line, a blank or bad line) as its text, which the main thread feeds to the
 * line-by-line verifier as before; the main thread checks everything in log order.
 */
import { parentPort } from 'node:worker_threads';
import { parseExportLine } from '../seals/export-format';
import { SEAL_STREAM } from '../seals/seal.events';
import { VALUE_EVENT_TYPES } from '../../shared/postings';

export interface LinesTask {
  readonly id: number;
  /** UTF-8 text: whole lines, each but perhaps the last of the file ended by a line break. */
  readonly buffer: ArrayBuffer;
}

export interface LinesResult {
  readonly id: number;
  readonly lines: number;
  /** Per event line: the fields below, in that order. */
  readonly events: Array<string | number>;
  /** Flat, per other line: its index in the block and its text. */
  readonly other: Array<string | number>;
}

/**
 * globalPosition, eventId, type, schemaVersion, streamId, streamVersion, recordedAt, effectiveAt,
 * prevHash, hash, the recomputed hash (0 when it is `hash`), data (its JSON text, or 0 where no
 * check reads it: see carriesData).
 */
export const EXPORT_EVENT_FIELDS = 12;

/**
 * The events whose data a check of the offline verifier reads: the balance replay reads the
 * postings of value-moving events, the seal checker the seals and key rotations of the seal
 * stream. No other check reads data, so only these carry it back to the main thread.
 */
export function carriesData(type: string, streamId: string): boolean {
  return VALUE_EVENT_TYPES.has(type) || streamId === SEAL_STREAM;
}

/** Line breaks as node:readline finds them (crlfDelay: Infinity): \r\n, \n, or a lone \r. */
const LINE_BREAK = /\r\n|\n|\r/;

export function parseLines(text: string): Omit<LinesResult, 'id'> {
  const lines = text.split(LINE_BREAK);
  // The text after the last line break: a last line without one, or nothing.
  if (lines[lines.length - 1] === '') lines.pop();
  const events: LinesResult['events'] = [];
  const other: LinesResult['other'] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const parsed = line.trim() === '' ? undefined : parseExportLine(line);
    if (parsed?.kind !== 'event') {
      other.push(i, line);
      continue;
    }
    const e = parsed.event;
    events.push(
      e.globalPosition, e.eventId, e.type, e.schemaVersion, e.streamId, e.streamVersion, e.recordedAt, e.effectiveAt, e.prevHash, e.hash,
      parsed.recomputedHash === e.hash ? 0 : parsed.recomputedHash, carriesData(e.type, e.streamId) ? parsed.dataText : 0,
    );
  }
  return { lines: lines.length, events, other };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (task: LinesTask) => {
    const result: LinesResult = { id: task.id, ...parseLines(Buffer.from(task.buffer).toString('utf8')) };
    port.postMessage(result);
  });
}
