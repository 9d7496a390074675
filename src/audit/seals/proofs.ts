import type { RecordedEvent } from '../../event-store/envelope';
import type { EventStore } from '../../event-store/event-store.port';
import { DomainError, NotFoundError } from '../../shared/domain-error';
import { leafHash, toHex } from './merkle';
import type { SealData } from './seal-statement';
import type { PositionedRotation, Sealer } from './sealer';

/**
 * Proof documents, as the routes answer them and the offline verifier checks them
 * (`ledger-audit check-proof`): everything needed but the public key, which the checker must
 * have from elsewhere.
 */
export interface InclusionProof {
  readonly kind: 'inclusion';
  /** The event itself, whole: its hash is recomputed from it. */
  readonly event: RecordedEvent;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: string;
  /** RFC 9162 inclusion path, leaf to root, hex. */
  readonly auditPath: readonly string[];
  readonly rootHash: string;
  /** The seal signing `rootHash` at `treeSize`, when the proof is made against a seal. */
  readonly seal?: SealData;
  /** Every key rotation in the log (oldest first), so a checker given the first key follows it to the seal's. */
  readonly keyRotations: readonly PositionedRotation[];
}

export interface ConsistencyProof {
  readonly kind: 'consistency';
  readonly first: number;
  readonly second: number;
  readonly firstRootHash: string;
  readonly secondRootHash: string;
  readonly path: readonly string[];
  /** The seal of tree size `second`, when there is one (always for the latest seal). */
  readonly secondSeal?: SealData;
  readonly keyRotations: readonly PositionedRotation[];
}

export const ProofErrors = {
  noSeal: () => new NotFoundError('SEAL.NONE', 'The log has not been sealed yet.'),
  eventNotFound: (position: number) => new NotFoundError('PROOF.EVENT_NOT_FOUND', `No event at log position ${position}.`, { position }),
  notSealed: (position: number, treeSize: number) =>
    new DomainError('PROOF.NOT_SEALED', `The event at position ${position} is not covered by the tree of size ${treeSize} yet; ask again after the next seal.`, 409, { position, treeSize }),
  treeSize: (treeSize: number, size: number) =>
    new DomainError('PROOF.TREE_SIZE_INVALID', `Tree size ${treeSize} is not between 1 and the tree's ${size}.`, 400, {
      errors: [{ field: 'treeSize', messages: [`treeSize must be between 1 and ${size}`] }],
    }),
  treeBehind: (sealed: number, size: number) =>
    new DomainError('PROOF.TREE_BEHIND', `The latest seal covers ${sealed} events and this instance's tree has ${size} yet; ask again in a second.`, 409, { sealedTreeSize: sealed, treeSize: size }),
  consistencyRange: (first: number, second: number) =>
    new DomainError('PROOF.TREE_SIZE_INVALID', `No consistency proof from tree size ${first} to ${second}: the first must be between 1 and the second.`, 400, {
      errors: [{ field: 'first', messages: ['first must be between 1 and second'] }],
    }),
} as const;

async function eventAt(store: EventStore, position: number): Promise<RecordedEvent | undefined> {
  for await (const event of store.readAll({ after: position - 1, maxCount: 1 })) return event.globalPosition === position ? event : undefined;
  return undefined;
}

/** The tree size to prove against: the one asked for, or the latest seal's (with the seal). */
async function target(sealer: Sealer, treeSize: number | undefined): Promise<{ treeSize: number; seal?: SealData }> {
  // The follower keeps the tree (never built here, in the request path).
  const latest = await sealer.latestSeal();
  const size = sealer.merkle.state().size;
  if (treeSize === undefined) {
    if (!latest) throw ProofErrors.noSeal();
    // Sealed by another process (the CLI, another instance) past what this follower has built.
    if (latest.data.treeSize > size) throw ProofErrors.treeBehind(latest.data.treeSize, size);
    return { treeSize: latest.data.treeSize, seal: latest.data };
  }
  if (treeSize < 1 || treeSize > size) throw ProofErrors.treeSize(treeSize, size);
  const seal = latest && latest.data.treeSize === treeSize ? latest : await sealer.sealOfSize(treeSize);
  return { treeSize, ...(seal ? { seal: seal.data } : {}) };
}

/** The inclusion proof of the event at a log position, in the latest seal or the tree of `treeSize`. */
export async function inclusionProof(store: EventStore, sealer: Sealer, position: number, treeSize?: number): Promise<InclusionProof> {
  const at = await target(sealer, treeSize);
  const event = await eventAt(store, position);
  const leaf = event ? sealer.merkle.leafAt(position) : undefined;
  if (!event || !leaf) throw ProofErrors.eventNotFound(position);
  if (leaf.idx >= at.treeSize) throw ProofErrors.notSealed(position, at.treeSize);
  return {
    kind: 'inclusion',
    event,
    leafIndex: leaf.idx,
    treeSize: at.treeSize,
    leafHash: toHex(leafHash(event.hash)),
    auditPath: sealer.merkle.inclusion(leaf.idx, at.treeSize).map(toHex),
    rootHash: toHex(sealer.merkle.root(at.treeSize)),
    ...(at.seal ? { seal: at.seal } : {}),
    keyRotations: sealer.keyRotations(),
  };
}

/** The consistency proof from tree size `first` to `second` (default: the latest seal's). */
export async function consistencyProof(sealer: Sealer, first: number, second?: number): Promise<ConsistencyProof> {
  const at = await target(sealer, second);
  if (first < 1 || first > at.treeSize) throw ProofErrors.consistencyRange(first, at.treeSize);
  return {
    kind: 'consistency',
    first,
    second: at.treeSize,
    firstRootHash: toHex(sealer.merkle.root(first)),
    secondRootHash: toHex(sealer.merkle.root(at.treeSize)),
    path: sealer.merkle.consistency(first, at.treeSize).map(toHex),
    ...(at.seal ? { secondSeal: at.seal } : {}),
    keyRotations: sealer.keyRotations(),
  };
}
