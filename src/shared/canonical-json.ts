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

/**
 * Whether `text` is exactly canonicalJson(value), where `value` is JSON.parse(text), without
 * making the canonical text: JSON.stringify writes every number and string as the library does
 * (the library calls it for them), so the two texts differ only in the order of object members,
 * which the library sorts by UTF-16 code units (the order of `<` on strings). So the text is
 * canonical exactly when JSON.stringify gives it back and every object's members are in that
 * order. It may answer `false` for a canonical text whose objects have array-index keys ("9",
 * "10": the engine enumerates those first, in numeric order); `true` is always right, so a caller
 * asks the library when it answers `false`. Several times faster than canonicalJson;
 * canonical-json.spec.ts checks it against `canonicalJson(JSON.parse(text)) === text`.
 */
export function isCanonicalJsonText(text: string, value: unknown): boolean {
  return JSON.stringify(value) === text && membersSorted(value);
}

function membersSorted(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!membersSorted(item)) return false;
    return true;
  }
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && !(keys[i - 1] < keys[i])) return false;
    if (!membersSorted((value as Record<string, unknown>)[keys[i]])) return false;
  }
  return true;
}

/** SHA-256 of the UTF-8 text, in hex. */
export const sha256Hex: (text: string) => string =
  // One call where Node has it (20.12 on): half the cost of a Hash object, once per event written.
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');
