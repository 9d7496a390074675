import { computeEventHash, hashedPart, type RecordedEvent } from '../../event-store/envelope';
import { fromHex, leafHash, verifyConsistency, verifyInclusion } from '../seals/merkle';
import { TrustedKey, checkKeptSeal } from '../seals/seal-checker';
import { KeyRotationData, SealData, checkSignature, keyIdOf, parsePublicKey, rotationStatement } from '../seals/seal-statement';

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

type Rotation = KeyRotationData & { readonly position?: unknown };

/**
 * The keys a proof's seals may be signed by: those given, and each key a given one handed over
 * to by a rotation the proof carries (signed by the key it retires and by the new one, as the
 * log's rotation events are), with the position each key was retired at. A rotation from a key
 * not given is not followed; one from a given key that does not hold refuses the proof.
 */
function followRotations(keys: readonly TrustedKey[], rotations: unknown): { keys: TrustedKey[]; retiredAt: Map<string, number> } | string {
  const trusted = new Map(keys.map((k) => [k.keyId, k]));
  const retiredAt = new Map<string, number>();
  if (rotations === undefined) return { keys: [...trusted.values()], retiredAt };
  if (!Array.isArray(rotations)) return 'the key rotations are not a list';
  for (const rotation of rotations as Rotation[]) {
    if (typeof rotation !== 'object' || rotation === null) return 'a key rotation is malformed';
    const old = trusted.get(rotation.oldKeyId);
    if (!old || retiredAt.has(rotation.oldKeyId)) continue;
    const at = typeof rotation.position === 'number' ? ` at position ${rotation.position}` : '';
    const statement = rotationStatement(rotation);
    if (!checkSignature(statement, rotation.oldKeySignature, old.key)) return `the key rotation${at} is not validly signed by the key it retires`;
    const next = typeof rotation.newPublicKey === 'string' ? parsePublicKey(rotation.newPublicKey) : undefined;
    if (!next || keyIdOf(next) !== rotation.newKeyId) return `the key rotation${at} names a new key that does not match its key id`;
    if (!checkSignature(statement, rotation.newKeySignature, next)) return `the key rotation${at} is not validly signed by the new key`;
    retiredAt.set(rotation.oldKeyId, typeof rotation.position === 'number' ? rotation.position : Infinity);
    trusted.set(rotation.newKeyId, { keyId: rotation.newKeyId, key: next });
  }
  return { keys: [...trusted.values()], retiredAt };
}

/** A seal signed by a trusted key (or one a rotation led to), not one retired before the seal was made; or why not. */
function checkSeal(seal: SealData, keys: { keys: TrustedKey[]; retiredAt: Map<string, number> }, what: string): string | undefined {
  if (typeof seal !== 'object' || seal === null) return `${what} is malformed`;
  const problem = checkKeptSeal(seal, keys.keys);
  if (problem) return problem.replace('the kept seal', what).replace(', not one given', ', neither a key given nor one a given key was rotated to');
  const retired = keys.retiredAt.get(seal.keyId);
  // A seal covering the rotation's position was made after it.
  if (retired !== undefined && retired <= seal.lastPosition) return `${what} is signed by key ${seal.keyId}, retired by the rotation at position ${retired} before it`;
  return undefined;
}

export function checkInclusionProof(doc: unknown, keys: readonly TrustedKey[]): ProofVerdict {
  if (typeof doc !== 'object' || doc === null) return fail('not a proof document');
  const proof = doc as { kind?: unknown; event?: RecordedEvent; leafIndex?: unknown; treeSize?: unknown; auditPath?: unknown; seal?: SealData; keyRotations?: unknown };
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
  const trusted = followRotations(keys, proof.keyRotations);
  if (typeof trusted === 'string') return fail(trusted);
  const signature = checkSeal(seal, trusted, 'the seal');
  if (signature) return fail(signature);
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

/**
 * A consistency proof between two seals (both signed by a trusted key): the earlier one the
 * checker kept, the later one kept too (`secondSeal`, two kept seals) or the one the proof holds.
 */
export function checkConsistencyProof(doc: unknown, firstSeal: SealData, keys: readonly TrustedKey[], secondSeal?: SealData): ProofVerdict {
  if (typeof doc !== 'object' || doc === null) return fail('not a proof document');
  const proof = doc as { kind?: unknown; first?: unknown; second?: unknown; path?: unknown; secondSeal?: SealData; keyRotations?: unknown };
  if (proof.kind !== 'consistency') return fail('not a consistency proof');
  const second = secondSeal ?? proof.secondSeal;
  if (!second) return fail('the proof holds no later seal: give the later seal you kept (--second-seal)');
  const trusted = followRotations(keys, proof.keyRotations);
  if (typeof trusted === 'string') return fail(trusted);
  for (const seal of [firstSeal, second]) {
    const problem = checkSeal(seal, trusted, `the seal of tree size ${seal.treeSize}`);
    if (problem) return fail(problem);
  }
  if (proof.first !== firstSeal.treeSize || proof.second !== second.treeSize) return fail('the proof is for other tree sizes than the seals');
  const path = hashes(proof.path);
  if (!path) return fail('the path is not a list of SHA-256 hashes');
  const ok = verifyConsistency(firstSeal.treeSize, second.treeSize, fromHex(firstSeal.rootHash)!, fromHex(second.rootHash)!, path);
  return ok
    ? { ok: true, detail: `the log of tree size ${second.treeSize} extends the sealed log of size ${firstSeal.treeSize}: nothing was rewritten or removed` }
    : fail(`the proof does not show the tree of size ${second.treeSize} extends the one of size ${firstSeal.treeSize}`);
}
