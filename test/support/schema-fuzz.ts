import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Json, resolve } from './openapi-doc';

/**
 * Values from JSON Schema for the fuzz suite: schema-valid bodies (with hints from field names
 * where the document says less than the DTOs check, so that valid bodies mostly reach the
 * business rules), and hostile variants of them. Everything is drawn from one seeded generator,
 * so a run is reproduced by its seed.
 */

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export interface Hints {
  /** Real ids by field name (`fundId`, `borrowerId`, …): a valid body mostly names real things. */
  readonly idsFor: (field: string) => string[];
  /** Always a real id where there is one (a scoped token acting for itself), never a random one. */
  readonly realOnly?: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function randomUuid(rng: Rng): string {
  const hex = () => rng.int(0, 15).toString(16);
  const s = Array.from({ length: 32 }, hex);
  s[12] = '4';
  s[16] = rng.pick(['8', '9', 'a', 'b']);
  const j = s.join('');
  return `${j.slice(0, 8)}-${j.slice(8, 12)}-${j.slice(12, 16)}-${j.slice(16, 20)}-${j.slice(20)}`;
}

function day(rng: Rng): string {
  return `2026-${pad(rng.int(1, 9))}-${pad(rng.int(1, 28))}`;
}

/** Whether a field holds a business day, judged by schema format or by the project's names. */
export function isDayField(name: string, schema: Json): boolean {
  return schema?.format === 'date' || /(On|Date|Until)$/.test(name) || ['from', 'asOf', 'to'].includes(name);
}

export function isInstantField(name: string, schema: Json): boolean {
  return schema?.format === 'date-time' || name === 'effectiveAt';
}

function validString(name: string, schema: Json, rng: Rng, hints: Hints): string {
  if (schema.format === 'uuid' || /Id$/.test(name)) {
    const real = hints.idsFor(name);
    if (real.length > 0 && (hints.realOnly || rng.chance(0.85))) return rng.pick(real);
    if (name === 'householdId') return `hh-${rng.int(0x100000, 0xffffff).toString(16)}`;
    return randomUuid(rng);
  }
  if (isInstantField(name, schema)) return `${day(rng)}T${pad(rng.int(0, 23))}:00:00.000Z`;
  if (isDayField(name, schema)) return day(rng);
  if (schema.format === 'email' || name === 'email') return `fz${rng.int(1, 1e6)}@example.org`;
  if (name === 'currency') return rng.chance(0.9) ? 'USD' : rng.pick(['EUR', 'GBP']);
  if (name === 'period') return rng.pick([`2025-${pad(rng.int(1, 12))}`, `FY2025-Q${rng.int(1, 4)}`, 'FY2024']);
  if (name === 'code') return `fz-${rng.int(1, 1e9).toString(36)}`;
  if (name === 'url') return `http://127.0.0.1:9/fz-${rng.int(1, 1e9).toString(36)}`;
  const words = ['Acme', 'River', 'Stone', 'Bakery', 'Commons', 'Garden', 'Repair', 'North', 'Mill', 'Works'];
  let s = Array.from({ length: rng.int(1, 3) }, () => rng.pick(words)).join(' ') + ` ${rng.int(1, 99999)}`;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : 200;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
  if (s.length > max) s = s.slice(0, max).trimEnd();
  while (s.length < min) s += 'x';
  return s;
}

function validNumber(name: string, schema: Json, rng: Rng): number {
  const lo = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : undefined;
  const hi = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 : undefined;
  let [min, max] = [1, 100_000];
  if (/Minor$/.test(name)) [min, max] = [1, 50_000];
  else if (/installments|instalments/i.test(name)) [min, max] = [1, 12];
  else if (name === 'termYears') [min, max] = [1, 99];
  else if (/minutes/i.test(name)) [min, max] = [1, 600];
  if (lo !== undefined) min = Math.max(min, lo);
  if (hi !== undefined) max = Math.min(max, hi);
  if (min > max) max = min;
  return rng.int(min, max);
}

/** A value the schema accepts (and, by the hints, mostly one that names real things). */
export function validValue(doc: Json, schemaIn: Json, rng: Rng, hints: Hints, name = '', depth = 0): unknown {
  const schema = resolve(doc, schemaIn);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return rng.pick(schema.enum);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  if (type === 'object' || (schema.properties && !type)) {
    const out: Record<string, unknown> = {};
    const required: string[] = schema.required ?? [];
    for (const [key, sub] of Object.entries<Json>(schema.properties ?? {})) {
      if (required.includes(key) || (depth < 3 && rng.chance(0.4))) out[key] = validValue(doc, sub, rng, hints, key, depth + 1);
    }
    return out;
  }
  if (type === 'array') {
    const min = schema.minItems ?? 1;
    const max = Math.min(schema.maxItems ?? 2, Math.max(min, 2));
    return Array.from({ length: rng.int(min, max) }, () => validValue(doc, schema.items ?? {}, rng, hints, name.replace(/s$/, ''), depth + 1));
  }
  if (type === 'integer' || type === 'number') return validNumber(name, schema, rng);
  if (type === 'boolean') return rng.chance(0.5);
  return validString(name, schema, rng, hints);
}

/** A hostile body: JSON text (or another content type), and what it targets. */
export interface BodyVariant {
  readonly kind: string;
  /** The field at fault, when one is: a 400 must then name it in `errors`. */
  readonly field?: string;
  readonly raw: string | undefined;
  readonly contentType?: string;
}


/** JSON text of `body` with the values at `path` replaced by raw JSON text (not expressible as JS values). */
export function withRaw(body: unknown, path: string[], rawText: string): string {
  const copy = structuredClone(body) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  for (const k of path.slice(0, -1)) target = target[k] as Record<string, unknown>;
  target[path[path.length - 1]] = '\u0000raw0\u0000';
  return JSON.stringify(copy).replace(JSON.stringify('\u0000raw0\u0000'), rawText);
}

function set(body: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  for (const k of path.slice(0, -1)) target = target[k] as Record<string, unknown>;
  if (value === undefined) delete target[path[path.length - 1]];
  else target[path[path.length - 1]] = value;
  return copy;
}

const fieldName = (path: string[]) => path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('').replace(/\.\[/g, '[');

/** The leaf and object fields of a valid body, with their schemas, to aim variants at. */
function fieldsOf(doc: Json, schemaIn: Json, value: unknown, path: string[] = []): { path: string[]; schema: Json; required: boolean }[] {
  const schema = resolve(doc, schemaIn);
  const out: { path: string[]; schema: Json; required: boolean }[] = [];
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      const sub = resolve(doc, schema.properties?.[k] ?? {});
      out.push({ path: [...path, k], schema: sub, required: (schema.required ?? []).includes(k) });
      out.push(...fieldsOf(doc, sub, v, [...path, k]));
    }
  } else if (Array.isArray(value) && value.length > 0) {
    out.push(...fieldsOf(doc, schema.items ?? {}, value[0], [...path, '0']));
  }
  return out;
}

export const DEEP_ARRAY = '['.repeat(10_000) + ']'.repeat(10_000);
export const DEEP_OBJECT = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
export const HUGE_NUMBER = '9'.repeat(400);

/** Every hostile variant of a valid body (or of no body, for routes that take none). */
export function bodyVariants(doc: Json, schema: Json | undefined, base: unknown): BodyVariant[] {
  const json = (kind: string, value: unknown, field?: string): BodyVariant => ({ kind, field, raw: JSON.stringify(value) });
  const out: BodyVariant[] = [
    { kind: 'deep-array-10000', raw: DEEP_ARRAY },
    { kind: 'deep-object-10000', raw: DEEP_OBJECT },
    { kind: 'body-400-digit-number', raw: HUGE_NUMBER },
    { kind: 'body-1e400', raw: '1e400' },
    { kind: 'body-array', raw: '[]' },
    { kind: 'body-string', raw: '"x"' },
    { kind: 'body-null', raw: 'null' },
    { kind: 'body-true', raw: 'true' },
    { kind: 'body-broken-json', raw: '{"a":' },
    { kind: 'form-urlencoded', raw: new URLSearchParams(flat(base ?? { x: '1' })).toString(), contentType: 'application/x-www-form-urlencoded' },
    { kind: 'text-plain', raw: JSON.stringify(base ?? {}), contentType: 'text/plain' },
    { kind: 'unknown-field', field: 'zzUnknown', raw: JSON.stringify({ ...(base as object), zzUnknown: 1 }) },
    { kind: 'unknown-field-1e400', field: 'zzUnknown', raw: withRaw(base ?? {}, ['zzUnknown'], '1e400') },
  ];
  if (!schema || base === undefined) return out;
  // `{}` is hostile only where the body has required fields; where every field is optional
  // (an approval's `effectiveAt`, a rotation's `expiresAt`) it is a valid body.
  if ((resolve(doc, schema).required ?? []).length > 0) out.push({ kind: 'empty-object', raw: '{}' });
  for (const { path, schema: s, required } of fieldsOf(doc, schema, base)) {
    const f = fieldName(path);
    const value = path.reduce<Json>((o, k) => o?.[k], base);
    const type = Array.isArray(s.type) ? s.type[0] : s.type ?? typeof value;
    if (required) out.push(json('missing-required', set(base, path, undefined), f));
    out.push(json('null', set(base, path, null), f));
    if (typeof value === 'string') {
      out.push(json('wrong-type-number', set(base, path, 123), f));
      out.push(json('empty-string', set(base, path, ''), f));
      out.push(json('surrounding-spaces', set(base, path, ` ${value} `), f));
      out.push(json('control-char', set(base, path, `${value}\u0007x`), f));
      out.push(json('string-10k', set(base, path, 'x'.repeat(10_000)), f));
      out.push({ kind: 'lone-surrogate', field: f, raw: withRaw(base, path, '"a\\ud800b"') });
      if (isDayField(path[path.length - 1], s) || isInstantField(path[path.length - 1], s)) {
        const instant = isInstantField(path[path.length - 1], s);
        for (const d of ['9999-12-31', '1900-01-01', '2026-02-30', '2026-13-01']) {
          out.push(json(`date-${d}`, set(base, path, instant ? `${d}T00:00:00.000Z` : d), f));
        }
        if (instant) out.push(json('date-plain-9999', set(base, path, '9999-12-31'), f));
      }
    } else if (typeof value === 'number' || type === 'integer' || type === 'number') {
      out.push(json('wrong-type-string', set(base, path, String(value)), f));
      out.push(json('zero', set(base, path, 0), f));
      out.push(json('minus-one', set(base, path, -1), f));
      out.push(json('fraction', set(base, path, 1.5), f));
      out.push({ kind: 'unsafe-integer', field: f, raw: withRaw(base, path, '9007199254740992') });
      out.push({ kind: 'number-1e400', field: f, raw: withRaw(base, path, '1e400') });
      out.push({ kind: 'number-400-digits', field: f, raw: withRaw(base, path, HUGE_NUMBER) });
    } else if (typeof value === 'boolean') {
      out.push(json('wrong-type-string', set(base, path, 'true'), f));
    } else if (Array.isArray(value)) {
      out.push(json('wrong-type-object', set(base, path, {}), f));
      out.push(json('empty-array', set(base, path, []), f));
      out.push({ kind: 'deep-nested-in-field', field: f, raw: withRaw(base, path, DEEP_ARRAY) });
    } else if (value && typeof value === 'object') {
      out.push(json('wrong-type-string', set(base, path, 'x'), f));
      out.push(json('unknown-nested-field', set(base, [...path, 'zzUnknown'], 1), `${f}.zzUnknown`));
    }
  }
  return out;
}

function flat(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((value ?? {}) as object)) out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return out;
}

/**
 * Query parameters the README's API table names for each route (`[?asOf=&limit=]`), keyed by
 * method and path with parameters as `{}`: a fallback for the ones the document omits.
 */
export function readmeQueryParams(): Map<string, { all: Set<string>; required: Set<string> }> {
  const text = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const out = new Map<string, { all: Set<string>; required: Set<string> }>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cell = line.split(' | ')[0];
    let method = 'GET';
    for (const m of cell.matchAll(/`([^`]+)`/g)) {
      const chunk = m[1].trim();
      const withMethod = /^(GET|POST)\s+(.*)$/.exec(chunk);
      if (withMethod) method = withMethod[1];
      const rest = withMethod ? withMethod[2] : chunk;
      if (!rest.startsWith('/v1/')) continue;
      const path = rest.split(/[[?]/)[0].replace(/\{[^}]+\}/g, '{}');
      const names = (text: string) => [...text.matchAll(/[?&|]\s*\??([A-Za-z]+)=/g)].map((p) => p[1]);
      const key = `${method} ${path}`;
      const entry = out.get(key) ?? { all: new Set<string>(), required: new Set<string>() };
      names(rest).forEach((p) => entry.all.add(p));
      // `?year=YYYY[&by=…]`: what stands before the brackets is required.
      names(rest.split('[')[0]).forEach((p) => entry.required.add(p));
      out.set(key, entry);
    }
  }
  return out;
}

export interface QueryVariant {
  readonly kind: string;
  readonly query: string;
  /** The parameter at fault: a 400 must name it. */
  readonly field?: string;
  /** Whether the query is valid (a 4xx is then not expected, but not a failure either). */
  readonly valid?: boolean;
}

/** Odd query strings for a read that takes the given parameters. */
export function queryVariants(params: Set<string>): QueryVariant[] {
  const out: QueryVariant[] = [
    { kind: 'query-unknown-name', query: 'zzUnknown=1', field: 'zzUnknown' },
    { kind: 'query-minPosition-minus-one', query: 'minPosition=-1', field: 'minPosition' },
    { kind: 'query-minPosition-1e400', query: 'minPosition=1e400', field: 'minPosition' },
    { kind: 'query-minPosition-text', query: 'minPosition=abc', field: 'minPosition' },
    { kind: 'query-minPosition-repeated', query: 'minPosition=0&minPosition=1', field: 'minPosition' },
    { kind: 'query-minPosition-0', query: 'minPosition=0', valid: true },
    { kind: 'query-bad-percent-encoding', query: 'minPosition=%ZZ', field: 'minPosition' },
  ];
  const day = (name: string) => {
    for (const d of ['9999-12-31', '1900-01-01', '2026-02-30', 'yesterday']) out.push({ kind: `query-${name}-${d}`, query: `${name}=${d}`, field: name });
    out.push({ kind: `query-${name}-valid`, query: `${name}=2026-06-30`, valid: true });
  };
  for (const p of params) {
    if (p === 'limit') {
      for (const v of ['0', '1e3', '-1', '501', '1.5', 'abc']) out.push({ kind: `query-limit-${v}`, query: `limit=${v}`, field: 'limit' });
      out.push({ kind: 'query-limit-repeated', query: 'limit=1&limit=2', field: 'limit' });
      out.push({ kind: 'query-limit-1', query: 'limit=1', valid: true });
    } else if (p === 'after' || p === 'before') {
      out.push({ kind: `query-${p}-10k`, query: `${p}=${'x'.repeat(10_000)}`, field: p });
      out.push({ kind: `query-${p}-control`, query: `${p}=%07x`, field: p });
    } else if (['asOf', 'from', 'to'].includes(p)) {
      day(p);
    } else if (p === 'year') {
      for (const v of ['99999', '1900', '-1', 'abc', '1e3']) out.push({ kind: `query-year-${v}`, query: `year=${v}`, field: 'year' });
      out.push({ kind: 'query-year-valid', query: 'year=2026', valid: true });
    } else if (p === 'atPosition') {
      for (const v of ['-1', '1e400', 'abc']) out.push({ kind: `query-atPosition-${v}`, query: `atPosition=${v}`, field: 'atPosition' });
    } else if (/Id$/.test(p)) {
      out.push({ kind: `query-${p}-not-uuid`, query: `${p}=not-a-uuid`, field: p });
      out.push({ kind: `query-${p}-surrogate`, query: `${p}=%ED%A0%80`, field: p });
    } else {
      out.push({ kind: `query-${p}-bogus`, query: `${p}=zz-bogus`, field: p });
      out.push({ kind: `query-${p}-empty`, query: `${p}=`, field: p });
    }
  }
  return out;
}

/**
 * Every problem code the README names: `FUND.CODE_TAKEN` in full, and the README's shorthand
 * `.NOT_FOUND` after a full one, which keeps that one's prefix (`PLEDGE.NOT_FOUND` (404), `.CANCELLED`).
 */
export function readmeCodes(): Set<string> {
  const text = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const codes = new Set<string>();
  let prefix = '';
  for (const m of text.matchAll(/`([A-Z][A-Z0-9_]*)?\.([A-Z][A-Z0-9_]*)`/g)) {
    if (m[1]) prefix = m[1];
    if (prefix) codes.add(`${prefix}.${m[2]}`);
  }
  return codes;
}
