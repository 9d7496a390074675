import type { KeyObject } from 'node:crypto';
import type { RecordedEvent } from '../../event-store/envelope';
import { VALUE_EVENT_TYPES, postingProblem, type Posting } from '../../shared/postings';
import { Hash, MerkleBuilder, fromHex, toHex, treeLeafHash } from './merkle';
import {
  KeyRotationData,
  LOG_SEALED,
  SEAL_KEY_ROTATED,
  SEAL_STREAM,
  SealData,
  SealReference,
  checkSignature,
  keyIdOf,
  parsePublicKey,
  rotationStatement,
  sealStatement,
} from './seal-statement';

/**
 * Rebuilds the Merkle tree from the log, event by event, and checks every seal in it: its
 * signature by a trusted key, its root against the rebuilt tree, its last position, its link to
 * the seal before; and every key rotation (signed by the key it retires and by the new one).
 * Given a seal kept from earlier (an auditor's copy, or the signer's own record), it checks the
 * log still holds that tree: truncation and rewritten history are caught.
 *
 * Used as an EventRule of LogVerifier (`check` returns what is wrong with one event), so
 * `ledger verify`, the background verifier and the offline verifier share one code path.
 * Memory: O(log n) for the tree plus a bounded history of recent sizes (RECENT_SIZES), one per
 * leaf, for a seal's tree size a little before its own place.
 */

/** How far before its own place in the log a seal's tree size may be (the follower seals within a few events). */
export const RECENT_SIZES = 65_536;

/**
 * An event whose leaf hash was computed already (treeLeafHash, by a verifier thread that read
 * it): the checker takes it instead of computing it again.
 */
export interface WithTreeLeaf {
  readonly treeLeaf?: Hash;
}

export interface TrustedKey {
  readonly keyId: string;
  readonly key: KeyObject;
}

export interface SealCheckSummary {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly sealsChecked: number;
  readonly rotationsChecked: number;
  readonly lastSeal?: SealReference & { readonly lastPosition: number; readonly sealedAt: string; readonly position: number };
  /** Events (not seals) after what the last seal covers: not yet protected by a signature. */
  readonly unsealedEvents: number;
  readonly firstUnsealedPosition?: number;
  readonly keptSeal?: { readonly treeSize: number; readonly status: 'consistent' | 'inconsistent' | 'pending' };
}

export function trustKeys(pems: readonly string[]): TrustedKey[] {
  return pems.map((pem) => {
    const key = parsePublicKey(pem);
    if (!key) throw new Error('not an Ed25519 public key (SPKI PEM expected)');
    return { keyId: keyIdOf(key), key };
  });
}

export class SealChecker {
  private readonly builder = new MerkleBuilder(RECENT_SIZES);
  private readonly positions = new Float64Array(RECENT_SIZES);
  /** Non-seal events among the first n leaves, for the last RECENT_SIZES sizes. */
  private readonly plainBefore = new Float64Array(RECENT_SIZES);
  private plainCount = 0;
  private readonly trusted = new Map<string, KeyObject>();
  /** Keys retired by a rotation, with the rotation's position. */
  private readonly retired = new Map<string, number>();
  private last?: SealCheckSummary['lastSeal'];
  private sealedPlain = 0;
  private seals = 0;
  private rotations = 0;
  private keptChecked = false;
  private keptMatched = false;

  constructor(
    keys: readonly TrustedKey[],
    /** A seal kept from earlier, already found genuine (see checkKeptSeal). */
    private readonly kept?: SealReference,
    /** Keys found later (the service's own key store, where a key is made on first use). */
    private readonly resolve?: (keyId: string) => TrustedKey | undefined,
  ) {
    for (const k of keys) this.trusted.set(k.keyId, k.key);
  }

  /** Feeds the next event of the log; answers what is wrong with it, if anything. */
  readonly check = (event: RecordedEvent): string | undefined => {
    let problem: string | undefined;
    if (event.streamId === SEAL_STREAM && event.type === LOG_SEALED) problem = this.checkSeal(event);
    else if (event.streamId === SEAL_STREAM && event.type === SEAL_KEY_ROTATED) problem = this.checkRotation(event.data as KeyRotationData, event.globalPosition);
    else this.plainCount += 1;
    this.builder.push((event as WithTreeLeaf).treeLeaf ?? treeLeafHash(event.hash));
    const size = this.builder.size;
    this.positions[size % RECENT_SIZES] = event.globalPosition;
    this.plainBefore[size % RECENT_SIZES] = this.plainCount;
    if (this.kept && size === this.kept.treeSize) {
      this.keptChecked = true;
      this.keptMatched = toHex(this.builder.root) === this.kept.rootHash;
      if (!this.keptMatched) {
        const kept = `the kept seal of tree size ${this.kept.treeSize} (root ${this.kept.rootHash})`;
        return [problem, `the first ${size} events of the log are not those of ${kept}: history was rewritten at or before this position`].filter(Boolean).join('; ');
      }
    }
    return problem;
  };

  private checkSeal(event: RecordedEvent): string | undefined {
    const seal = event.data as SealData;
    this.seals += 1;
    const key = this.trustedKey(seal.keyId);
    if (!key) return `seal signed by key ${String(seal.keyId)}, which is not a trusted key`;
    if (this.retired.has(seal.keyId)) return `seal signed by key ${seal.keyId}, retired by an earlier rotation`;
    if (!checkSignature(sealStatement(seal), seal.signature, key)) return `seal signature is not valid for key ${seal.keyId}`;
    const previous = this.last ? { treeSize: this.last.treeSize, rootHash: this.last.rootHash } : null;
    const claimed = seal.previousSeal;
    if ((previous === null) !== (claimed === null) || (previous && claimed && (previous.treeSize !== claimed.treeSize || previous.rootHash !== claimed.rootHash))) {
      return `seal names previous seal ${JSON.stringify(claimed)}, but the previous seal in the log is ${JSON.stringify(previous)}`;
    }
    const size = this.builder.size;
    if (Number.isSafeInteger(seal.treeSize) && seal.treeSize < 0) return `seal covers ${seal.treeSize} events: a tree size is never negative`;
    if (!Number.isSafeInteger(seal.treeSize) || seal.treeSize > size) {
      return `seal covers ${seal.treeSize} events but only ${size} come before it: events were removed or reordered before this seal`;
    }
    if (previous && seal.treeSize <= previous.treeSize) return `seal tree size ${seal.treeSize} does not grow past the previous seal's ${previous.treeSize}`;
    const root = this.builder.rootAtRecent(seal.treeSize);
    if (!root) return `seal covers tree size ${seal.treeSize}, more than ${RECENT_SIZES} events before its place (${size}): cannot be checked`;
    const from = this.last ? `after position ${this.last.lastPosition}` : 'from the start';
    const lastPosition = seal.treeSize === 0 ? 0 : this.positions[seal.treeSize % RECENT_SIZES];
    // A genuine seal over a log that no longer matches it still counts as the seal it is, so the
    // seals after it are checked against their own claims (one problem, not a cascade).
    this.last = { treeSize: seal.treeSize, rootHash: seal.rootHash, lastPosition: seal.lastPosition, sealedAt: seal.sealedAt, position: event.globalPosition };
    this.sealedPlain = this.plainBefore[seal.treeSize % RECENT_SIZES];
    if (toHex(root) !== seal.rootHash) {
      return `seal root does not match the log: an event ${from} up to this seal's tree size ${seal.treeSize} was changed, removed, added or moved`;
    }
    if (lastPosition !== seal.lastPosition) return `seal says its last event is at position ${seal.lastPosition}, the log has it at ${lastPosition}`;
    return undefined;
  }

  private trustedKey(keyId: string): KeyObject | undefined {
    const known = this.trusted.get(keyId);
    if (known || !this.resolve || typeof keyId !== 'string') return known;
    const found = this.resolve(keyId);
    if (found) this.trusted.set(found.keyId, found.key);
    return found?.key;
  }

  private checkRotation(rotation: KeyRotationData, position: number): string | undefined {
    this.rotations += 1;
    const old = this.trustedKey(rotation.oldKeyId);
    if (!old || this.retired.has(rotation.oldKeyId)) return `key rotation from key ${String(rotation.oldKeyId)}, which is not a trusted current key`;
    const statement = rotationStatement(rotation);
    if (!checkSignature(statement, rotation.oldKeySignature, old)) return 'key rotation is not validly signed by the key it retires';
    const next = typeof rotation.newPublicKey === 'string' ? parsePublicKey(rotation.newPublicKey) : undefined;
    if (!next || keyIdOf(next) !== rotation.newKeyId) return 'key rotation names a new key that does not match its key id';
    if (!checkSignature(statement, rotation.newKeySignature, next)) return 'key rotation is not validly signed by the new key';
    this.retired.set(rotation.oldKeyId, position);
    this.trusted.set(rotation.newKeyId, next);
    return undefined;
  }

  /**
   * A seal kept from earlier whose key was not given: genuine when a key given was rotated, in the
   * log read so far, to the key that signed it (and it was not retired before the seal was made).
   */
  checkKeptSealByRotation(seal: SealData): string | undefined {
    const key = typeof seal.keyId === 'string' ? this.trusted.get(seal.keyId) : undefined;
    if (!key) return `the kept seal is signed by key ${String(seal.keyId)}, neither a key given nor one a given key was rotated to in the log`;
    const retired = this.retired.get(seal.keyId);
    if (retired !== undefined && retired <= seal.lastPosition) return `the kept seal is signed by key ${seal.keyId}, retired by the rotation at position ${retired} before it`;
    return checkKeptSeal(seal, [{ keyId: seal.keyId, key }]);
  }

  /** After the last event: what a kept seal says of the log's end (truncation). */
  finish(): string | undefined {
    if (this.kept && !this.keptChecked && this.builder.size < this.kept.treeSize) {
      return `the log has ${this.builder.size} events, but a kept seal covers ${this.kept.treeSize}: the log was truncated (events ${this.builder.size + 1} to ${this.kept.treeSize} in log order are missing)`;
    }
    return undefined;
  }

  summary(): SealCheckSummary {
    const unsealed = this.plainCount - (this.last ? this.sealedPlain : 0);
    const firstUnsealedIndex = this.last ? this.last.treeSize : 0;
    const size = this.builder.size;
    // The first event (not a seal) at or after what the last seal covers: leaf i is one when the
    // count of such events grows from size i to size i + 1.
    let firstUnsealedPosition: number | undefined;
    if (unsealed > 0 && size - firstUnsealedIndex < RECENT_SIZES) {
      for (let i = firstUnsealedIndex; i < size; i++) {
        if (this.plainBefore[(i + 1) % RECENT_SIZES] > this.plainBefore[i % RECENT_SIZES]) {
          firstUnsealedPosition = this.positions[(i + 1) % RECENT_SIZES];
          break;
        }
      }
    }
    return {
      treeSize: size,
      rootHash: toHex(this.builder.root),
      sealsChecked: this.seals,
      rotationsChecked: this.rotations,
      ...(this.last ? { lastSeal: this.last } : {}),
      unsealedEvents: unsealed,
      ...(firstUnsealedPosition !== undefined ? { firstUnsealedPosition } : {}),
      ...(this.kept ? { keptSeal: { treeSize: this.kept.treeSize, status: !this.keptChecked ? 'pending' : this.keptMatched ? 'consistent' : 'inconsistent' } } : {}),
    } as SealCheckSummary;
  }
}

/** A seal document (an event's data, or what /v1/audit/seals/latest answers) signed by one of the keys, or why not. */
export function checkKeptSeal(seal: SealData, keys: readonly TrustedKey[]): string | undefined {
  const key = keys.find((k) => k.keyId === seal.keyId);
  if (!key) return `the kept seal is signed by key ${String(seal.keyId)}, not one given`;
  if (!fromHex(seal.rootHash) || !Number.isSafeInteger(seal.treeSize)) return 'the kept seal is malformed';
  return checkSignature(sealStatement(seal), seal.signature, key.key) ? undefined : 'the kept seal has no valid signature';
}

/**
 * Replays every account's balance from the postings of the value-moving events, and checks each
 * event's postings (well formed, zero per asset). The trial balance: per asset, every account's
 * balance sums to zero. Memory grows with the number of accounts.
 */
export class BalanceReplay {
  private readonly balances = new Map<string, number>();
  events = 0;

  readonly check = (event: RecordedEvent): string | undefined => {
    if (!VALUE_EVENT_TYPES.has(event.type)) return undefined;
    const postings = (event.data as { postings?: unknown }).postings;
    const problem = postingProblem(postings);
    if (problem) return problem;
    this.events += 1;
    for (const p of postings as Posting[]) {
      for (const [account, delta] of [[p.from, -p.amountMinor], [p.to, p.amountMinor]] as const) {
        const key = `${account}|${p.asset}`;
        const next = (this.balances.get(key) ?? 0) + delta;
        if (!Number.isSafeInteger(next)) return `the balance of ${key} leaves the safe integer range`;
        this.balances.set(key, next);
      }
    }
    return undefined;
  };

  /** Account → asset → balance, and per asset the sum of all accounts (zero when the books balance). */
  trialBalance(): { accounts: number; perAsset: Record<string, { accounts: number; sum: number; debits: number }>; balanced: boolean } {
    const perAsset: Record<string, { accounts: number; sum: number; debits: number }> = {};
    for (const [key, balance] of this.balances) {
      const asset = key.slice(key.lastIndexOf('|') + 1);
      const entry = (perAsset[asset] ??= { accounts: 0, sum: 0, debits: 0 });
      entry.accounts += 1;
      entry.sum += balance;
      if (balance > 0) entry.debits += balance;
    }
    return { accounts: this.balances.size, perAsset, balanced: Object.values(perAsset).every((a) => a.sum === 0) };
  }

  balancesOf(): ReadonlyMap<string, number> {
    return this.balances;
  }
}
