import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { TestResponse } from './test-app';

/**
 * Reading the OpenAPI document the app serves: its operations, their schemas resolved, a
 * validator for answers, and the one problem shape every 4xx must have. The fuzz suite, the
 * roles matrix and the contract test all start from here, so a new route is covered by all three.
 */

// The document is plain JSON; typing it loosely keeps the helpers short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Operation {
  readonly method: string;
  /** OpenAPI form, `/v1/funds/{fundId}`. */
  readonly path: string;
  readonly op: Json;
  /** `GET /v1/funds/{fundId}`: how failures name it. */
  readonly key: string;
}

export function operationsOf(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Json>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      out.push({ method: method.toUpperCase(), path, op, key: `${method.toUpperCase()} ${path}` });
    }
  }
  return out;
}

export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

/** Follows `$ref`s (and a lone `allOf`) to the schema itself. */
export function resolve(doc: Json, schema: Json): Json {
  let s = schema;
  for (let i = 0; i < 20 && s; i++) {
    if (s.$ref) s = s.$ref.replace(/^#\//, '').split('/').reduce((o: Json, k: string) => o?.[k], doc);
    else if (Array.isArray(s.allOf) && s.allOf.length === 1 && Object.keys(s).length === 1) s = s.allOf[0];
    else break;
  }
  return s ?? {};
}

export function requestSchema(doc: Json, op: Json): Json | undefined {
  const content = op.requestBody?.content;
  if (!content) return undefined;
  const json = content['application/json'];
  return json?.schema ? resolve(doc, json.schema) : undefined;
}

/** OpenAPI 3.0 `nullable` in JSON Schema terms, for ajv. */
function toJsonSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries<Json>(schema)) {
    if (k === '$ref' && typeof v === 'string') out.$ref = v.replace(/^#\//, 'doc#/');
    else if (k === 'example' || k === 'examples' || k === 'nullable') continue;
    else out[k] = toJsonSchema(v);
  }
  if (schema.nullable === true) {
    // A nullable reference (`allOf: [$ref]`, as @nestjs/swagger writes it) is the referenced
    // schema or null; the `type` beside it must not make null pass through its `allOf` alone.
    if (out.$ref || out.allOf || out.oneOf) return { anyOf: [out, { type: 'null' }] };
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
  }
  return out;
}

/** Validates 2xx JSON answers against the operation's response schema, where it has one. */
export class ResponseValidator {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction | null>();

  constructor(doc: Json) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'doc', components: toJsonSchema(doc.components ?? {}) });
  }

  /** Undefined when the answer fits (or the document gives no schema), else what does not fit. */
  check(operation: Operation, response: TestResponse): string | undefined {
    const contentType = String(response.headers['content-type'] ?? '');
    if (!contentType.includes('json')) return undefined;
    const key = `${operation.key} ${response.status}`;
    if (!this.cache.has(key)) {
      const schema = operation.op.responses?.[String(response.status)]?.content?.['application/json']?.schema;
      this.cache.set(key, schema ? this.ajv.compile(toJsonSchema(schema)) : null);
    }
    const validate = this.cache.get(key);
    if (!validate || validate(response.body)) return undefined;
    return (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
  }
}

/**
 * What is wrong with a 4xx (or 5xx) answer's shape, or undefined: one problem document,
 * `application/problem+json`, with `type,title,code,detail` strings, `status` equal to the HTTP
 * status, and `errors` (if any) a list of `{field, messages[]}`.
 */
export function problemShapeDefect(response: TestResponse): string | undefined {
  const contentType = String(response.headers['content-type'] ?? '');
  if (!contentType.startsWith('application/problem+json')) return `content-type ${contentType || 'none'}`;
  const b = response.body;
  if (!b || typeof b !== 'object' || Array.isArray(b)) return 'body is not an object';
  for (const k of ['type', 'title', 'code', 'detail']) if (typeof b[k] !== 'string') return `${k} not a string`;
  if (b.status !== response.status) return `status ${String(b.status)} != ${response.status}`;
  if ('field' in b) return 'top-level field (not errors[])';
  if (b.errors !== undefined) {
    if (!Array.isArray(b.errors)) return 'errors not an array';
    for (const e of b.errors) {
      if (!e || typeof e.field !== 'string' || !Array.isArray(e.messages) || !e.messages.every((m: unknown) => typeof m === 'string')) {
        return 'errors[] entry not {field, messages[]}';
      }
    }
  }
  return undefined;
}

/** Whether a problem's `errors[]` names the field (or a part of it, or a parent of it). */
export function namesField(response: TestResponse, field: string): boolean {
  const errors = response.body?.errors;
  if (!Array.isArray(errors)) return false;
  // `lines[0].fundId` and `lines.0.fundId` name the same field.
  const norm = (f: string) => f.replace(/\[(\d+)\]/g, '.$1');
  const want = norm(field);
  return errors.some((e: { field?: unknown }) => {
    const f = norm(String(e.field ?? ''));
    return f === want || f.startsWith(`${want}.`) || want.startsWith(`${f}.`);
  });
}
