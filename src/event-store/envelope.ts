import { canonicalJson, sha256Hex } from '../shared/canonical-json';

/** Who did it, on whose behalf, and as part of what: stamped on every event of one command. */
export interface EventMetadata {
  readonly actorId: string;
  readonly actorRole: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly idempotencyKey?: string;
}

/** An event as a command handler proposes it; the store assigns everything else. */
export interface NewEvent<TData = unknown> {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: TData;
  /** Business date (ISO 8601 instant); defaults to the recording time. May be back-dated. */
  readonly effectiveAt?: string;
  /** Supplied only when the caller must know the id before appending. */
  readonly eventId?: string;
}

/**
 * The hashed part of an event. The global position is deliberately not in it: a clustered store
 * (KurrentDB) assigns positions only after the write, while the writer must compute the hash
 * before it. Order and completeness of the global log are instead proven by the gap-free
 * positions (embedded store) and by seals over position ranges.
 */
export interface HashedEnvelope<TData = unknown> {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly recordedAt: string;
  readonly effectiveAt: string;
  readonly data: TData;
  readonly metadata: EventMetadata;
  readonly prevHash: string;
}

export interface RecordedEvent<TData = unknown> extends HashedEnvelope<TData> {
  readonly globalPosition: number;
  readonly hash: string;
}

/** The `prevHash` of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

/** hash = SHA-256(prevHash ‖ RFC 8785 canonical JSON of the envelope without its hash). */
export function computeEventHash(envelope: HashedEnvelope): string {
  return sha256Hex(envelope.prevHash + canonicalJson(envelope));
}

/**
 * The envelope's plain fields: all but data and metadata, which a writer holds as canonical JSON
 * already, and the event's place in its stream, which it learns last.
 */
export type EnvelopeFields = Omit<HashedEnvelope, 'data' | 'metadata' | 'streamVersion' | 'prevHash'>;

const PLACEHOLDER = 'null';
const DATA_KEY = '{"data":';
const METADATA_KEY = '"metadata":';
const PREV_HASH_KEY = '"prevHash":';
const STREAM_VERSION_KEY = '"streamVersion":';

/**
 * computeEventHash in two steps, for a writer that learns an event's place in its stream later
 * and elsewhere than it prepares the event (the SQLite writer thread, inside its transaction).
 * This step is the library's canonical JSON of the envelope with null in place of data,
 * metadata, streamVersion and prevHash; `hashInChain` puts their canonical JSON there and
 * hashes. Replacing a member's canonical text by another's keeps an object canonical, so the
 * two together equal computeEventHash (sqlite-writer.spec.ts checks it on arbitrary envelopes).
 */
export function envelopeTemplate(fields: EnvelopeFields): string {
  const { eventId, type, schemaVersion, streamId, recordedAt, effectiveAt } = fields;
  return canonicalJson({
    eventId, type, schemaVersion, streamId, recordedAt, effectiveAt,
    data: null, metadata: null, streamVersion: null, prevHash: null,
  });
}

/** The hash of the event an envelopeTemplate describes, with its data and metadata (canonical JSON) at this place in its stream. */
export function hashInChain(template: string, data: string, metadata: string, streamVersion: number, prevHash: string): string {
  // The template is an object of strings, numbers and nulls, inside whose strings every quote is
  // escaped: each key appears once, and the keys sort data, ..., metadata, prevHash, ...,
  // streamVersion, so these positions ascend.
  const metadataAt = template.indexOf(METADATA_KEY) + METADATA_KEY.length;
  const hashAt = template.indexOf(PREV_HASH_KEY, metadataAt) + PREV_HASH_KEY.length;
  const versionAt = template.indexOf(STREAM_VERSION_KEY, hashAt) + STREAM_VERSION_KEY.length;
  const text =
    DATA_KEY + data +
    template.slice(DATA_KEY.length + PLACEHOLDER.length, metadataAt) + metadata +
    template.slice(metadataAt + PLACEHOLDER.length, hashAt) + canonicalJson(prevHash) +
    template.slice(hashAt + PLACEHOLDER.length, versionAt) + canonicalJson(streamVersion) +
    template.slice(versionAt + PLACEHOLDER.length);
  return sha256Hex(prevHash + text);
}

/** Metadata without absent optional fields, so that stored and hashed forms agree exactly. */
export function normaliseMetadata(metadata: EventMetadata): EventMetadata {
  const { idempotencyKey, ...rest } = metadata;
  return idempotencyKey === undefined ? { ...rest } : { ...rest, idempotencyKey };
}

/** Builds and hashes the next event of a stream. Shared by every adapter so hashes agree. */
export function sealEvent(
  event: NewEvent,
  position: { streamId: string; streamVersion: number; prevHash: string },
  context: { eventId: string; recordedAt: string; metadata: EventMetadata },
): HashedEnvelope & { hash: string } {
  const envelope: HashedEnvelope = {
    eventId: context.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: position.streamId,
    streamVersion: position.streamVersion,
    recordedAt: context.recordedAt,
    effectiveAt: event.effectiveAt ?? context.recordedAt,
    data: event.data,
    metadata: context.metadata,
    prevHash: position.prevHash,
  };
  return { ...envelope, hash: computeEventHash(envelope) };
}

/** The hashed part of a recorded event, for verification. */
export function hashedPart(event: RecordedEvent): HashedEnvelope {
  const { globalPosition: _position, hash: _hash, ...envelope } = event;
  return envelope;
}
