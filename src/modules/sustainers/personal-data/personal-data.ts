import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SealedPersonalData } from '../sustainer/sustainer.decider';

/** What the ledger knows about a person; only ever stored sealed. */
export interface PersonalData {
  readonly displayName: string;
  readonly email?: string;
  readonly postalAddress?: string;
}

/**
 * AES-256-GCM with a fresh 96-bit IV per sealing. The sustainer id is the additional
 * authenticated data, so a sealed blob copied onto another sustainer fails to open.
 */
export function seal(key: Buffer, sustainerId: string, data: PersonalData): SealedPersonalData {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(sustainerId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  return { alg: 'A256GCM', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

/** The person's data, or undefined when the key is gone (erased) or the blob does not authenticate. */
export function open(key: Buffer | undefined, sustainerId: string, sealed: SealedPersonalData | null): PersonalData | undefined {
  if (!key || !sealed) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(sustainerId, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const clear = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    return JSON.parse(clear.toString('utf8')) as PersonalData;
  } catch {
    return undefined;
  }
}
