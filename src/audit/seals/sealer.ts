import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { EventMetadata, NewEvent, RecordedEvent } from '../../event-store/envelope';
import type { EventCatalogue } from '../../event-store/event-catalogue';
import { EventStore, WrongExpectedVersionError } from '../../event-store/event-store.port';
import { sequentialReader } from '../../event-store/sqlite/sequential-reader';
import { leafHash, toHex } from './merkle';
import { MerkleStore } from './merkle-store';
import type { SealKeys } from './seal-keys';
import {
  KeyRotationData,
  LOG_SEALED,
  SEAL_KEY_ROTATED,
  SEAL_STREAM,
  SealData,
  rotationStatement,
  sealStatement,
  signStatement,
} from './seal-statement';

export interface SealerOptions {
  /** Seal when this many events are not yet sealed. */
  readonly everyEvents: number;
  /** Seal unsealed events at the latest this long after the last seal. */
  readonly intervalMs: number;
  readonly now?: () => Date;
}

/** What is wrong between the log and the seals, as the follower finds it (see SealStatus). */
export type SealProblemKind = 'TRUNCATED' | 'REWRITTEN' | 'UNSEALED_TAIL';

/** A key rotation as a proof carries it: the event's data and its log position. */
export type PositionedRotation = KeyRotationData & { readonly position: number };

export interface SealProblem {
  readonly kind: SealProblemKind;
  readonly detail: string;
  readonly position?: number;
}

export interface SealStatus {
  /** `ok`; `failed` when the log no longer matches what was sealed; `unsealed-tail` when events appeared behind a stopped service's back. */
  readonly status: 'ok' | 'failed' | 'unsealed-tail';
  readonly treeSize: number;
  readonly lastPosition: number;
  readonly lastSeal?: { readonly treeSize: number; readonly rootHash: string; readonly sealedAt: string; readonly position: number };
  readonly unsealedEvents: number;
  readonly sealAgeSeconds?: number;
  readonly problem?: SealProblem;
}

const BATCH = 5000;

export const SEALER_METADATA = (): EventMetadata => {
  const id = randomUUID();
  return { actorId: 'system:sealer', actorRole: 'system', correlationId: id, causationId: id };
};

/**
 * The Merkle follower and the sealer. It follows the log from its checkpoint (merkle.db), adds
 * each event as a leaf and keeps the tree's nodes; it signs a seal (a LogSealed event in the
 * `ledger-seals` stream) when `everyEvents` events are unsealed or `intervalMs` passed since the
 * last seal. It runs beside the write path, never in it: appends do not wait for it.
 *
 * It also checks the log against the signer's own record (seal-keys.db, outside the log): a log
 * shorter than the last seal signed is truncated, one whose tree at that size has another root
 * was rewritten; and after a clean shutdown (which seals everything) an unsealed event at the
 * next start was appended behind the service's back. In those cases it stops sealing (sealing
 * would vouch for the forgery) until an operator looks (`ledger seal --accept-tail`).
 */
export class Sealer {
  private readonly now: () => Date;
  private lastSeal?: SealStatus['lastSeal'];
  private sealRevision = -1;
  private loaded = false;
  private problem?: SealProblem;
  private acceptTail = false;

  constructor(
    private readonly store: EventStore,
    readonly merkle: MerkleStore,
    readonly keys: SealKeys,
    private readonly options: SealerOptions,
    private readonly catalogue?: EventCatalogue,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** The last seal in the log, the key rotations and the seal stream's revision, read once. */
  private async load(): Promise<void> {
    if (this.loaded) return;
    await this.readSealStream();
    const signed = this.keys.signed();
    // After a clean shutdown every event was sealed: a plain event after the last seal signed
    // came from somewhere else (see the class comment).
    if (signed?.cleanShutdown && !this.acceptTail) this.tailCheckFrom = signed.treeSize;
    this.loaded = true;
  }

  private tailCheckFrom?: number;

  /**
   * The seal stream's events after the last one noted. Another process on the same files (the
   * CLI's `seal`, `seal-key --rotate`, a token it wrote) takes its own seals into the shared
   * merkle.db, so the follower never reads them as leaves: without this the service would name
   * an older seal as the latest, and not know of a rotation, until its next append was refused.
   */
  private async readSealStream(): Promise<void> {
    for await (const event of this.store.readStream(SEAL_STREAM, { fromRevision: this.sealRevision + 1 })) this.noteSealEvent(event);
  }

  /** A seal or key rotation, each once, in the stream's order. */
  private noteSealEvent(event: Pick<RecordedEvent, 'globalPosition' | 'streamVersion' | 'type' | 'data'>): void {
    if (event.streamVersion <= this.sealRevision) return;
    this.sealRevision = event.streamVersion;
    if (event.type === LOG_SEALED) {
      const data = event.data as SealData;
      this.lastSeal = { treeSize: data.treeSize, rootHash: data.rootHash, sealedAt: data.sealedAt, position: event.globalPosition };
    } else if (event.type === SEAL_KEY_ROTATED) {
      this.rotations.push({ ...(event.data as KeyRotationData), position: event.globalPosition });
    }
  }

  private readonly rotations: PositionedRotation[] = [];

  /** Every key rotation in the log with its position, oldest first: a proof carries them, so a checker given the first key follows them. */
  keyRotations(): readonly PositionedRotation[] {
    return this.rotations;
  }

  /**
   * The seal of exactly `treeSize` leaves, if the log holds one: it sits a little after the
   * leaves it covers, so the seal stream's leaves from that index on are looked at, in order,
   * until one covers more (a few indexed reads).
   */
  async sealOfSize(treeSize: number): Promise<{ data: SealData; position: number } | undefined> {
    for (const leaf of this.merkle.sealLeavesFrom(treeSize, 16)) {
      for await (const event of this.store.readAll({ after: leaf.position - 1, maxCount: 1 })) {
        if (event.globalPosition !== leaf.position || event.type !== LOG_SEALED) continue;
        const data = event.data as SealData;
        if (data.treeSize === treeSize) return { data, position: event.globalPosition };
        if (data.treeSize > treeSize) return undefined;
      }
    }
    return undefined;
  }

  /** Allows sealing a tail found unsealed at start (the operator reviewed it). */
  accept(): void {
    this.acceptTail = true;
    this.tailCheckFrom = undefined;
    if (this.problem?.kind === 'UNSEALED_TAIL') this.problem = undefined;
  }

  /** Adds every event after the checkpoint to the tree; returns the tree size. */
  async catchUp(): Promise<number> {
    // The signer's record first, then the log: every seal the record names is in what is read
    // next (a signer records a seal only once it is in the log), even when another instance signed it.
    await this.keys.refresh();
    await this.load();
    for (;;) {
      const state = this.merkle.state();
      const leaves: Array<{ hash: Buffer; position: number; seal: boolean }> = [];
      for await (const event of this.readLeaves(state.lastPosition)) {
        const seal = event.streamId === SEAL_STREAM;
        leaves.push({ hash: leafHash(event.hash), position: event.globalPosition, seal });
        if (seal) this.noteSealEvent(event);
      }
      if (leaves.length === 0) break;
      const builder = this.merkle.builder();
      if (!this.merkle.append(state, builder, leaves)) continue;
      if (leaves.length < BATCH) break;
      // Reading a batch and hashing it never waits on I/O: without a turn of the event loop here, a
      // long catch-up (a new instance, a deleted merkle.db) would hold the port's binding and every
      // request, /health/live included, until it reached the head.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.readSealStream();
    await this.checkAgainstRecord();
    return this.merkle.state().size;
  }

  private raw?: Database.Statement<[number, number], [number, string, number, string, string, string | null]>;

  /**
   * The events after a position, as the tree needs them: position, stream, hash (and a seal's
   * data). From the embedded store, straight from events.db on a read-only connection, without
   * parsing every event's data; from any other store, through its readAll.
   */
  private async *readLeaves(after: number): AsyncIterable<Pick<RecordedEvent, 'globalPosition' | 'streamId' | 'streamVersion' | 'type' | 'hash' | 'data'>> {
    const file = (this.store as { file?: unknown }).file;
    if (typeof file !== 'string') {
      yield* this.store.readAll({ after, maxCount: BATCH });
      return;
    }
    this.raw ??= sequentialReader(file)
      .prepare<[number, number], [number, string, number, string, string, string | null]>(
        `SELECT global_position, stream_id, stream_version, type, hash, CASE WHEN stream_id = '${SEAL_STREAM}' THEN data END FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?`,
      )
      .raw();
    for (const [globalPosition, streamId, streamVersion, type, hash, data] of this.raw.all(after, BATCH)) {
      yield { globalPosition, streamId, streamVersion, type, hash, data: data === null ? undefined : JSON.parse(data) };
    }
  }

  private async checkAgainstRecord(): Promise<void> {
    if (this.problem && this.problem.kind !== 'UNSEALED_TAIL') return;
    const state = this.merkle.state();
    const head = await this.store.headPosition();
    if (head < state.lastPosition) {
      this.problem = { kind: 'TRUNCATED', position: head + 1, detail: `the log ends at position ${head}, but ${state.lastPosition} was already in the Merkle tree: the log was truncated` };
      return;
    }
    const signed = this.keys.signed();
    if (signed) {
      if (state.size < signed.treeSize) {
        this.problem = { kind: 'TRUNCATED', position: head + 1, detail: `the log holds ${state.size} events, but a seal over ${signed.treeSize} was signed: the log was truncated after position ${head}` };
        return;
      }
      if (signed.treeSize > 0 && toHex(this.merkle.root(signed.treeSize)) !== signed.rootHash) {
        this.problem = { kind: 'REWRITTEN', position: signed.lastPosition, detail: `the first ${signed.treeSize} events (to position ${signed.lastPosition}) no longer have the root that was signed: history was rewritten` };
        return;
      }
    }
    if (this.tailCheckFrom !== undefined) {
      const tail = this.merkle.plainEventsFrom(this.tailCheckFrom);
      if (tail.count > 0) {
        this.problem = {
          kind: 'UNSEALED_TAIL',
          ...(tail.firstPosition !== undefined ? { position: tail.firstPosition } : {}),
          detail: `${tail.count} event(s) from position ${tail.firstPosition} were appended after the service sealed the log and stopped; review them, then run ledger seal --accept-tail`,
        };
        return;
      }
      this.tailCheckFrom = undefined;
    }
  }

  /** Events (not seals) the last seal does not cover. */
  unsealed(): { count: number; firstPosition?: number } {
    return this.merkle.plainEventsFrom(this.lastSeal?.treeSize ?? 0);
  }

  /** Seals when due (or when `force` and anything is unsealed); returns the seal appended, if any. */
  async maybeSeal(force = false): Promise<SealData | undefined> {
    await this.catchUp();
    if (this.problem) return undefined;
    const { count } = this.unsealed();
    if (count === 0) return undefined;
    const age = this.lastSeal ? this.now().getTime() - Date.parse(this.lastSeal.sealedAt) : Infinity;
    if (!force && count < this.options.everyEvents && age < this.options.intervalMs) return undefined;
    return this.seal();
  }

  private async seal(): Promise<SealData | undefined> {
    const { size } = this.merkle.state();
    const leaf = this.merkle.leaf(size - 1);
    const key = await this.keys.current(this.now);
    const unsigned: Omit<SealData, 'signature'> = {
      treeSize: size,
      rootHash: toHex(this.merkle.root(size)),
      lastPosition: leaf?.position ?? 0,
      sealedAt: this.now().toISOString(),
      previousSeal: this.lastSeal ? { treeSize: this.lastSeal.treeSize, rootHash: this.lastSeal.rootHash } : null,
      keyId: key.keyId,
    };
    const data: SealData = { ...unsigned, signature: signStatement(sealStatement(unsigned), key.privateKey) };
    if (!(await this.appendSeal({ type: LOG_SEALED, schemaVersion: 1, data }))) return undefined;
    const signed = this.keys.signed();
    await this.keys.recordSigned({ treeSize: data.treeSize, rootHash: data.rootHash, lastPosition: data.lastPosition, sealedAt: data.sealedAt, cleanShutdown: signed?.cleanShutdown ?? false });
    return data;
  }

  /** Appends to the seal stream at the revision last seen; false when another sealer got there first. */
  private async appendSeal(event: NewEvent): Promise<boolean> {
    this.catalogue?.assertValid([event]);
    try {
      const expected = this.sealRevision < 0 ? 'no_stream' : this.sealRevision;
      await this.store.append(SEAL_STREAM, [event], expected, SEALER_METADATA());
      await this.catchUp();
      return true;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      this.loaded = false;
      return false;
    }
  }

  /**
   * Rotates the signing key: a SealKeyRotated event signed by the old key (handing over) and the
   * new one (proving it is held); the new key is current once the event is in the log. The tail
   * is sealed first with the old key, and then again with the new one.
   */
  async rotate(): Promise<KeyRotationData> {
    await this.maybeSeal(true);
    const old = await this.keys.current(this.now);
    const next = await this.keys.pending(this.now());
    const unsigned = { oldKeyId: old.keyId, newKeyId: next.keyId, newPublicKey: next.publicKeyPem, rotatedAt: this.now().toISOString() };
    const statement = rotationStatement(unsigned);
    const data: KeyRotationData = { ...unsigned, oldKeySignature: signStatement(statement, old.privateKey), newKeySignature: signStatement(statement, next.privateKey) };
    let appended = false;
    try {
      appended = await this.appendSeal({ type: SEAL_KEY_ROTATED, schemaVersion: 1, data });
    } finally {
      if (!appended) await this.keys.discard(next.keyId);
    }
    if (!appended) throw new Error('another sealer wrote to the seal stream at the same time; try again');
    await this.keys.promote(next.keyId);
    await this.maybeSeal(true);
    return data;
  }

  /**
   * Seals everything and records a clean shutdown: at the next start nothing unsealed may follow.
   * `recordClean` false (instances sharing a log): the others go on writing, so no such promise.
   */
  async shutdown(recordClean = true): Promise<void> {
    await this.maybeSeal(true);
    if (recordClean && !this.problem && this.unsealed().count === 0 && this.keys.signed()) await this.keys.setCleanShutdown(true);
  }

  /** The service runs: the record no longer promises a sealed tail. */
  async started(): Promise<void> {
    await this.keys.refresh();
    await this.load();
    if (this.keys.signed()?.cleanShutdown) await this.keys.setCleanShutdown(false);
  }

  /** Closes the tree's and the keys' files. */
  async close(): Promise<void> {
    this.raw?.database.close();
    this.raw = undefined;
    this.merkle.close();
    await this.keys.close();
  }

  status(): SealStatus {
    const state = this.merkle.state();
    const unsealed = this.unsealed().count;
    const age = this.sealAgeSeconds();
    return {
      status: this.problem ? (this.problem.kind === 'UNSEALED_TAIL' ? 'unsealed-tail' : 'failed') : 'ok',
      treeSize: state.size,
      lastPosition: state.lastPosition,
      ...(this.lastSeal ? { lastSeal: this.lastSeal } : {}),
      unsealedEvents: unsealed,
      ...(age !== undefined ? { sealAgeSeconds: age } : {}),
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }

  /** Seconds since the last seal in the log was made; undefined before the first seal. */
  sealAgeSeconds(): number | undefined {
    return this.lastSeal ? Math.max(0, (this.now().getTime() - Date.parse(this.lastSeal.sealedAt)) / 1000) : undefined;
  }

  /** The last seal's event, for routes: the latest signed tree head. */
  async latestSeal(): Promise<{ data: SealData; position: number } | undefined> {
    await this.load();
    if (!this.lastSeal) return undefined;
    for await (const event of this.store.readAll({ after: this.lastSeal.position - 1, maxCount: 1 })) {
      if (event.type === LOG_SEALED) return { data: event.data as SealData, position: event.globalPosition };
    }
    return undefined;
  }
}
