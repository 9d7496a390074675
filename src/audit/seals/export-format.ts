import { hashEnvelopeText, type RecordedEvent } from '../../event-store/envelope';
import { canonicalJson } from '../../shared/canonical-json';

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

/** An event line: the event, and its hash recomputed from the stored text the line carries. */
export type ExportLine =
  | { kind: 'header'; header: ExportHeader }
  | { kind: 'event'; event: RecordedEvent; recomputedHash: string; dataText: string; metadataText: string }
  | { kind: 'end'; end: ExportEnd };

const isText = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/**
 * One line of an export, or why it is not one. An event's `data` and `metadata` are carried as
 * the canonical JSON text the store hashed (a JSON string each), so the hash is recomputed from
 * exactly that text (hashEnvelopeText, the writer's own path) and the data parsed only when a
 * check needs it: no second canonicalisation of every event.
 */
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
  const { globalPosition, eventId, type, schemaVersion, streamId, streamVersion, recordedAt, effectiveAt, data, metadata, prevHash, hash } = v;
  if (
    !isInt(globalPosition) || !isText(eventId) || !isText(type) || !isInt(schemaVersion) || !isText(streamId) || !isInt(streamVersion) ||
    !isText(recordedAt) || !isText(effectiveAt) || !isText(data) || !isText(metadata) || !isText(prevHash) || !isText(hash)
  ) {
    return { kind: 'bad', reason: 'neither header, event nor end line (an event line has every envelope field; data and metadata as JSON text)' };
  }
  let parsedData: unknown;
  let parsedMetadata: unknown;
  let dataParsed = false;
  let metadataParsed = false;
  const event = {
    globalPosition, eventId, type, schemaVersion, streamId, streamVersion, recordedAt, effectiveAt, prevHash, hash,
    // Parsed on first use: most events need only their hash.
    get data(): unknown {
      if (!dataParsed) {
        dataParsed = true;
        try { parsedData = JSON.parse(data); } catch { parsedData = undefined; }
      }
      return parsedData;
    },
    get metadata(): unknown {
      if (!metadataParsed) {
        metadataParsed = true;
        try { parsedMetadata = JSON.parse(metadata); } catch { parsedMetadata = undefined; }
      }
      return parsedMetadata;
    },
  } as unknown as RecordedEvent;
  const recomputedHash = hashEnvelopeText({ eventId, type, schemaVersion, streamId, streamVersion, recordedAt, effectiveAt, data, metadata, prevHash });
  return { kind: 'event', event, recomputedHash, dataText: data, metadataText: metadata };
}

/** The event as one export line, with data and metadata as their canonical JSON text. */
export function eventLine(event: RecordedEvent): string {
  return rowLine(
    event.globalPosition, event.eventId, event.streamId, event.streamVersion, event.type, event.schemaVersion,
    event.recordedAt, event.effectiveAt, canonicalJson(event.data), canonicalJson(event.metadata), event.prevHash, event.hash,
  );
}

const q = JSON.stringify;

export function rowLine(
  globalPosition: number, eventId: string, streamId: string, streamVersion: number, type: string, schemaVersion: number,
  recordedAt: string, effectiveAt: string, data: string, metadata: string, prevHash: string, hash: string,
): string {
  return `{"globalPosition":${globalPosition},"eventId":${q(eventId)},"type":${q(type)},"schemaVersion":${schemaVersion},"streamId":${q(streamId)},"streamVersion":${streamVersion},"recordedAt":${q(recordedAt)},"effectiveAt":${q(effectiveAt)},"data":${q(data)},"metadata":${q(metadata)},"prevHash":${q(prevHash)},"hash":${q(hash)}}`;
}

