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

/** A hashed envelope with data and metadata as their canonical JSON, as a writer stores them. */
export interface EnvelopeText extends Omit<HashedEnvelope, 'data' | 'metadata'> {
  readonly data: string;
  readonly metadata: string;
}

/** The envelope's canonical JSON with every value null, made once by the library. */
const NULL_ENVELOPE_TEXT = canonicalJson({
  eventId: null, type: null, schemaVersion: null, streamId: null, streamVersion: null,
  recordedAt: null, effectiveAt: null, data: null, metadata: null, prevHash: null,
} satisfies Record<keyof HashedEnvelope, null>);
/** The keys in the order the library sorted them. */
const CANONICAL_KEYS = Object.keys(JSON.parse(NULL_ENVELOPE_TEXT) as object) as Array<keyof EnvelopeText>;
/** The text between the values (braces, commas, keys): no key contains "null". */
const AROUND_VALUES = NULL_ENVELOPE_TEXT.split('null');

/**
 * computeEventHash of an envelope whose data and metadata are canonical JSON already, for a
 * writer that stores that text (the SQLite writer thread): it is not parsed and canonicalized
 * again. The library's canonical JSON of each value goes into the library's canonical JSON of
 * the envelope's shape; an object is canonical exactly when its members are, in that order, so
 * the hash is computeEventHash's (sqlite-writer.spec.ts checks it on arbitrary envelopes).
 */
export function hashEnvelopeText(envelope: EnvelopeText): string {
  let text = AROUND_VALUES[0];
  for (let i = 0; i < CANONICAL_KEYS.length; i++) {
    const key = CANONICAL_KEYS[i];
    const value = key === 'data' || key === 'metadata' ? envelope[key] : canonicalScalar(envelope[key]);
    text += value + AROUND_VALUES[i + 1];
  }
  return sha256Hex(envelope.prevHash + text);
}

/**
 * canonicalJson of an envelope field: for a string or a finite number the library answers
 * JSON.stringify of it (RFC 8785 escapes strings and writes numbers as ECMAScript does), so that
 * is called directly; anything else (whatever a damaged row holds) goes to the library, so the
 * text is the library's always.
 */
function canonicalScalar(value: unknown): string {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? JSON.stringify(value) : canonicalJson(value);
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
