import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';

/**
 * What a seal (a signed tree head) and a key rotation say, and how their Ed25519 signatures are
 * made and checked (node:crypto). Shared by the service and the offline verifier; no other
 * dependency than the canonical JSON the event hashes use.
 */

export { LOG_SEALED, SEAL_KEY_ROTATED, SEAL_STREAM } from './seal.events';

export interface SealReference {
  readonly treeSize: number;
  readonly rootHash: string;
}

/** The data of a LogSealed event. */
export interface SealData {
  /** Leaves (events, in log order) the seal covers: the first `treeSize` events of the log. */
  readonly treeSize: number;
  /** RFC 9162 root of those leaves, hex. */
  readonly rootHash: string;
  /** Log position of the last event covered (0 for an empty tree). */
  readonly lastPosition: number;
  readonly sealedAt: string;
  /** The seal before this one, or null for the first. */
  readonly previousSeal: SealReference | null;
  /** SHA-256 (hex) of the signing key's SPKI DER encoding. */
  readonly keyId: string;
  /** Ed25519 signature of sealStatement(...), base64. */
  readonly signature: string;
}

export interface KeyRotationData {
  readonly oldKeyId: string;
  readonly newKeyId: string;
  /** The new public key, SPKI PEM. */
  readonly newPublicKey: string;
  readonly rotatedAt: string;
  /** Both keys sign rotationStatement(...): the old one hands over, the new one proves it is held. */
  readonly oldKeySignature: string;
  readonly newKeySignature: string;
}

export function sealStatement(seal: Omit<SealData, 'signature'>): Buffer {
  const { treeSize, rootHash, lastPosition, sealedAt, previousSeal, keyId } = seal;
  return Buffer.from(
    canonicalJson({ context: 'mutual-aid-ledger/seal/v1', treeSize, rootHash, lastPosition, sealedAt, previousSeal, keyId }),
    'utf8',
  );
}

export function rotationStatement(rotation: Omit<KeyRotationData, 'oldKeySignature' | 'newKeySignature'>): Buffer {
  const { oldKeyId, newKeyId, newPublicKey, rotatedAt } = rotation;
  return Buffer.from(canonicalJson({ context: 'mutual-aid-ledger/key-rotation/v1', oldKeyId, newKeyId, newPublicKey, rotatedAt }), 'utf8');
}

export function signStatement(statement: Buffer, privateKey: KeyObject): string {
  return sign(null, statement, privateKey).toString('base64');
}

/** True only for a valid Ed25519 signature by `publicKey`; never throws. */
export function checkSignature(statement: Buffer, signature: unknown, publicKey: KeyObject): boolean {
  if (typeof signature !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify(null, statement, publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The key id: SHA-256 (hex) of the public key's SPKI DER encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** An Ed25519 public key from PEM text, or undefined when it is not one. */
export function parsePublicKey(pem: string): KeyObject | undefined {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

export const publicKeyPem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();
