import { createHash } from 'node:crypto';
// canonicalize is the reference implementation of RFC 8785 (JSON Canonicalization Scheme) by one of
// its authors; 2.x is the last line that ships CommonJS, which jest's runtime needs on Node 20.
import canonicalize from 'canonicalize';

/** RFC 8785 canonical JSON of a JSON value. Throws on values JSON cannot represent exactly. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) {
    throw new TypeError('value has no JSON representation');
  }
  return text;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
