import { computeEventHash, hashedPart, type RecordedEvent } from '../../event-store/envelope';
import { fromHex, leafHash, verifyConsistency, verifyInclusion } from '../seals/merkle';
import { TrustedKey, checkKeptSeal } from '../seals/seal-checker';
import type { SealData } from '../seals/seal-statement';

/**
 * Checks one proof document as the routes answer it (an inclusion proof of a sustainer's gift,
 * a consistency proof between two seals), against a public key the checker trusts. Every
 * element is checked: the event's hash recomputed from the event, the leaf from that hash, the
 * whole audit path, the root against the seal, the seal's signature.
 */
export interface ProofVerdict {
  readonly ok: boolean;
  readonly detail: string;
}

const fail = (detail: string): ProofVerdict => ({ ok: false, detail });

function hashes(values: unknown): Buffer[] | undefined {
  if (!Array.isArray(values)) return undefined;
  const out = values.map(fromHex);
  return out.every((h): h is Buffer => h !== undefined) ? out : undefined;
}

export function checkInclusionProof(doc: unknown, keys: readonly TrustedKey[]): ProofVerdict {
  if (typeof doc !== 'object' || doc === null) return fail('not a proof document');
  const proof = doc as { kind?: unknown; event?: RecordedEvent; leafIndex?: unknown; treeSize?: unknown; auditPath?: unknown; seal?: SealData };
  if (proof.kind !== 'inclusion') return fail('not an inclusion proof');
  const { event, seal } = proof;
  if (!event || typeof event !== 'object') return fail('the proof holds no event');
  if (!seal || typeof seal !== 'object') return fail('the proof holds no seal: ask for a proof against a seal');
  let recomputed: string;
  try {
    recomputed = computeEventHash(hashedPart(event));
  } catch {
    return fail('the event cannot be hashed');
  }
  if (recomputed !== event.hash) return fail(`the event's contents do not match its hash (recomputed ${recomputed})`);
  const signature = checkKeptSeal(seal, keys);
  if (signature) return fail(signature.replace('the kept seal', 'the seal'));
  if (proof.treeSize !== seal.treeSize) return fail(`the proof is for tree size ${String(proof.treeSize)}, the seal covers ${seal.treeSize}`);
  const path = hashes(proof.auditPath);
  const root = fromHex(seal.rootHash);
  if (!path || !root) return fail('the audit path or root is not a list of SHA-256 hashes');
  if (typeof proof.leafIndex !== 'number') return fail('no leaf index');
  if (!verifyInclusion(leafHash(event.hash), proof.leafIndex, seal.treeSize, path, root)) {
    return fail(`the audit path does not lead from the event (leaf ${proof.leafIndex}) to the sealed root of tree size ${seal.treeSize}`);
  }
  return { ok: true, detail: `event ${event.eventId} (${event.type}, position ${event.globalPosition}) is leaf ${proof.leafIndex} of the tree of size ${seal.treeSize} sealed at ${seal.sealedAt} by key ${seal.keyId}` };
}

/** A consistency proof between two seals (both signed by a trusted key). */
export function checkConsistencyProof(doc: unknown, firstSeal: SealData, keys: readonly TrustedKey[]): ProofVerdict {
  if (typeof doc !== 'object' || doc === null) return fail('not a proof document');
  const proof = doc as { kind?: unknown; first?: unknown; second?: unknown; path?: unknown; secondSeal?: SealData };
  if (proof.kind !== 'consistency') return fail('not a consistency proof');
  const second = proof.secondSeal;
  if (!second) return fail('the proof holds no later seal');
  for (const seal of [firstSeal, second]) {
    const problem = checkKeptSeal(seal, keys);
    if (problem) return fail(problem.replace('the kept seal', `the seal of tree size ${seal.treeSize}`));
  }
  if (proof.first !== firstSeal.treeSize || proof.second !== second.treeSize) return fail('the proof is for other tree sizes than the seals');
  const path = hashes(proof.path);
  if (!path) return fail('the path is not a list of SHA-256 hashes');
  const ok = verifyConsistency(firstSeal.treeSize, second.treeSize, fromHex(firstSeal.rootHash)!, fromHex(second.rootHash)!, path);
  return ok
    ? { ok: true, detail: `the log of tree size ${second.treeSize} extends the sealed log of size ${firstSeal.treeSize}: nothing was rewritten or removed` }
    : fail(`the proof does not show the tree of size ${second.treeSize} extends the one of size ${firstSeal.treeSize}`);
}
