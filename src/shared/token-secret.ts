import { randomBytes } from 'node:crypto';
import { sha256Hex } from './canonical-json';

const PREFIX = 'mal_';

/** A new bearer secret: 256 random bits, URL-safe. Shown once; only its hash is kept. */
export function newTokenSecret(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashTokenSecret(secret: string): string {
  return sha256Hex(secret);
}

export function looksLikeTokenSecret(value: string): boolean {
  return value.startsWith(PREFIX) && value.length === PREFIX.length + 43;
}
