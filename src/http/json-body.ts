import { DomainError } from '../shared/domain-error';
import type { FieldError } from './problem-details';

/**
 * The bounds every JSON body is held to before any handler, DTO or validator sees it. Deep
 * nesting overflows the stack of the recursive validators further in (a 500), numbers beyond
 * what a double holds exactly silently change value, and a lone surrogate is stored as a
 * different string than the one that was hashed; none of them can be a legitimate request.
 */
export const JSON_BODY_LIMITS = {
  /** Objects and arrays inside one another, the body itself counting as one. */
  maxDepth: 32,
  /** Characters of one number literal: a minor-unit amount needs 16, a date-free decimal 25. */
  maxNumberLength: 32,
  /** Field errors listed in one answer; the rest are the same mistake repeated. */
  maxErrors: 20,
} as const;

export type JsonParse = (text: string) => unknown;

interface Frame {
  readonly kind: 'object' | 'array';
  /** The key (in an object) or index (in an array) of the value being read in this container. */
  key: string | number | undefined;
  awaitingKey: boolean;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Parses a JSON body or throws a DomainError (400) naming the rule and, where one is at fault,
 * the field. `parse` is the secure parser (Fastify's, which refuses `__proto__` and
 * `constructor.prototype`); it only runs once the text is known to be shallow enough, so neither
 * it nor anything after it recurses deeply. Returns undefined for an empty body.
 */
export function parseJsonBody(text: string, parse: JsonParse): unknown {
  if (text.trim() === '') return undefined;
  scanText(text);
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    throw new DomainError('REQUEST.MALFORMED', 'The body is not valid JSON (or names a forbidden prototype property).', 400);
  }
  checkValues(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DomainError('REQUEST.MALFORMED', 'The body must be a JSON object.', 400);
  }
  return value;
}

/**
 * One pass over the raw text, without recursion: refuses nesting past the limit and number
 * literals too long to be meant, before anything is parsed. Text that is not JSON at all is
 * left to the parser, which refuses it.
 */
function scanText(text: string): void {
  const stack: Frame[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (top?.kind === 'object' && top.awaitingKey) {
        top.key = decodeKey(text.slice(i, end));
        top.awaitingKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length + 1 > JSON_BODY_LIMITS.maxDepth) {
        throw refusal('REQUEST.TOO_DEEP', `The body nests objects and arrays deeper than ${JSON_BODY_LIMITS.maxDepth} levels.`, pathOf(stack), 'nests too deep');
      }
      stack.push(c === 0x7b ? { kind: 'object', key: undefined, awaitingKey: true } : { kind: 'array', key: 0, awaitingKey: false });
      i += 1;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      i += 1;
    } else if (c === 0x2c /* , */) {
      if (top?.kind === 'array') top.key = (top.key as number) + 1;
      else if (top) top.awaitingKey = true;
      i += 1;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const length = NUMBER.exec(text)?.[0].length ?? 1;
      if (length > JSON_BODY_LIMITS.maxNumberLength) {
        throw refusal(
          'REQUEST.INVALID',
          `A number literal is longer than ${JSON_BODY_LIMITS.maxNumberLength} characters.`,
          pathOf(stack),
          `is a number literal longer than ${JSON_BODY_LIMITS.maxNumberLength} characters`,
        );
      }
      i += length;
    } else {
      i += 1;
    }
  }
}

/** The index just past the closing quote of the string starting at `start` (or the end of text). */
function stringEnd(text: string, start: number): number {
  let j = start + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) j += 2;
    else if (c === QUOTE) return j + 1;
    else j += 1;
  }
  return text.length;
}

function decodeKey(literal: string): string {
  try {
    return String(JSON.parse(literal));
  } catch {
    return literal;
  }
}

function pathOf(stack: readonly Frame[]): string {
  return stack
    .map((frame) => frame.key)
    .filter((key) => key !== undefined)
    .join('.');
}

/**
 * Walks the parsed body (iteratively; its depth is already bounded) for numbers no double holds
 * exactly and for strings or keys that are not well-formed Unicode.
 */
function checkValues(root: unknown): void {
  const numbers: FieldError[] = [];
  const texts: FieldError[] = [];
  const pending: Array<[unknown, string]> = [[root, '']];
  const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) numbers.push({ field: path, messages: [`${path || 'the body'} is a number too large to represent`] });
      else if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        numbers.push({ field: path, messages: [`${path || 'the body'} is an integer beyond ±${Number.MAX_SAFE_INTEGER}`] });
      }
    } else if (typeof value === 'string') {
      if (!value.isWellFormed()) texts.push({ field: path, messages: [`${path || 'the body'} contains a lone UTF-16 surrogate (malformed Unicode)`] });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push([item, join(path, index)]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (!key.isWellFormed()) texts.push({ field: join(path, key.toWellFormed()), messages: ['the property name contains a lone UTF-16 surrogate (malformed Unicode)'] });
        pending.push([item, join(path, key)]);
      }
    }
  }
  if (numbers.length > 0) {
    throw new DomainError('REQUEST.INVALID', 'A number in the body is out of the representable range.', 400, withErrors(numbers));
  }
  if (texts.length > 0) {
    throw new DomainError('REQUEST.INVALID', 'The request has invalid fields.', 400, withErrors(texts));
  }
}

/**
 * Field errors sorted by field, at most the limit, without the nameless one of a bare
 * top-level value (a body that is one number names no field).
 */
function withErrors(errors: readonly FieldError[]): Record<string, unknown> {
  const named = errors
    .filter((error) => error.field !== '')
    .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0))
    .slice(0, JSON_BODY_LIMITS.maxErrors);
  return named.length > 0 ? { errors: named } : {};
}

function refusal(code: string, detail: string, field: string, message: string): DomainError {
  return new DomainError(code, detail, 400, field ? { errors: [{ field, messages: [`${field} ${message}`] }] } : {});
}
