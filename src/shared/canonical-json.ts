import * as crypto from 'node:crypto';
// canonicalize is the reference implementation of RFC 8785 (JSON Canonicalization Scheme) by one of
// its authors. It stays at 2.x: the hash of every stored event covers its output, so a new major
// is a change of that contract, to be proven byte for byte first, not a routine upgrade.
import canonicalize from 'canonicalize';

/** RFC 8785 canonical JSON of a JSON value. Throws on values JSON cannot represent exactly. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) {
    throw new TypeError('value has no JSON representation');
  }
  return text;
}

/** SHA-256 of the UTF-8 text, in hex. */
export const sha256Hex: (text: string) => string =
  // One call where Node has it (20.12 on): half the cost of a Hash object, once per event written.
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');
