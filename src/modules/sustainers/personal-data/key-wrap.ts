import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Wrapping of data keys under a key-encryption key (KEK), apart from where the wrapped keys are
 * stored (keys.db today, another store tomorrow): AES-256-GCM from node:crypto, a fresh 96-bit IV
 * per wrapping, and what the key belongs to (`sustainer:<id>`, `secret:<name>`) as additional
 * authenticated data, so a wrapped key copied onto another row does not unwrap.
 *
 * A wrapped key is one buffer: version byte 1, IV (12), tag (16), ciphertext (as long as the key).
 * The KEK itself is never stored beside the keys; its id (an HMAC of a fixed label under the KEK,
 * which reveals nothing of it) is, so a store can tell "wrong KEK" from "damaged key".
 */
export const KEK_BYTES = 32;
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

export class KekError extends Error {
  override readonly name = 'KekError';
}

export class KeyEncryptionKey {
  /** 16 hex characters naming this KEK without revealing it. */
  readonly id: string;

  private constructor(private readonly key: Buffer) {
    this.id = createHmac('sha256', key).update('mutual-aid-ledger key-encryption-key id v1').digest('hex').slice(0, 16);
  }

  static fromBytes(bytes: Buffer): KeyEncryptionKey {
    if (bytes.length !== KEK_BYTES) throw new KekError(`a key-encryption key is ${KEK_BYTES} bytes, got ${bytes.length}`);
    return new KeyEncryptionKey(Buffer.from(bytes));
  }

  /** The KEK written as text: base64 (or base64url) of 32 bytes, surrounding whitespace ignored. */
  static fromText(text: string): KeyEncryptionKey {
    const trimmed = text.trim();
    if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
      throw new KekError(`a key-encryption key is the base64 of ${KEK_BYTES} random bytes (44 characters, e.g. from \`ledger kek init\` or \`openssl rand -base64 32\`)`);
    }
    return KeyEncryptionKey.fromBytes(Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  }

  /** A fresh random KEK, as the text `fromText` reads. */
  static generateText(): string {
    return randomBytes(KEK_BYTES).toString('base64');
  }

  wrap(plain: Buffer, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
  }

  /** The key wrapped for `context`; throws KekError when it does not authenticate under this KEK. */
  unwrap(wrapped: Buffer, context: string): Buffer {
    if (!isWrapped(wrapped)) throw new KekError('not a wrapped key');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, wrapped.subarray(1, 1 + IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(wrapped.subarray(1 + IV_BYTES, HEADER_BYTES));
      return Buffer.concat([decipher.update(wrapped.subarray(HEADER_BYTES)), decipher.final()]);
    } catch {
      throw new KekError(`the key for ${context} does not unwrap under key-encryption key ${this.id}`);
    }
  }

  sameAs(other: KeyEncryptionKey): boolean {
    return timingSafeEqual(this.key, other.key);
  }
}

/** Whether a stored value has the shape of a wrapped key (a clear key of 32 bytes does not). */
export function isWrapped(value: Buffer): boolean {
  return value.length > HEADER_BYTES && value[0] === VERSION;
}

export const sustainerKeyContext = (sustainerId: string): string => `sustainer:${sustainerId}`;
export const secretContext = (name: string): string => `secret:${name}`;
