import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { isBusinessDay, isBusinessInstant, isStoredInstant } from '../shared/business-date';
import { DomainError } from '../shared/domain-error';
import { isCleanText } from '../shared/text';
import type { EventDefinition } from '../shared/event-schema';
import type { NewEvent } from './envelope';

export type { EventDefinition, JsonSchema } from '../shared/event-schema';
export { S } from '../shared/event-schema';

export interface EventProblem {
  /** Dotted path inside the event: `data.postings.0.from`, `effectiveAt`, `type`. */
  readonly field: string;
  readonly message: string;
}

// Named formats the schemas use. Each is the same predicate the HTTP edge uses, so what the
// edge accepts and what the catalogue accepts can never drift apart.
const ACCOUNT_KIND = /^[a-z][a-z-]*:/;
// Made once: a literal inside the predicate would make a RegExp object on every call.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURRENCY = /^[A-Z]{3}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const FORMATS: Record<string, (value: string) => boolean> = {
  'business-day': isBusinessDay,
  'business-instant': isStoredInstant,
  'clean-text': (value) => isCleanText(value),
  'clean-multiline': (value) => isCleanText(value, { multiline: true }),
  // `kind:id`, lower-case kind, the id clean text (no surrounding spaces, no controls).
  account: (value) => ACCOUNT_KIND.test(value) && isCleanText(value.slice(value.indexOf(':') + 1)) && value.indexOf(':') < value.length - 1,
  uuid: (value) => UUID.test(value),
  currency: (value) => CURRENCY.test(value),
  sha256: (value) => SHA256.test(value),
};

/**
 * The event catalogue: every event type the ledger writes, its current `schemaVersion` and a JSON
 * Schema of its `data`. The command runner checks every new event against it before appending,
 * and `ledger verify` checks every recorded event against it, so the log can hold nothing that a
 * projection or verify would reject: the log is forever, and a bad event cannot be edited out.
 *
 * Schemas are JSON Schema (draft-07), compiled once by Ajv. Each module keeps its definitions in
 * one file (`<module>.events.ts`) built with the helpers `S` of src/shared/event-schema.ts, a pure
 * file that domain files may import; objects refuse unknown properties.
 */
export class EventCatalogue {
  private readonly validators = new Map<
    string,
    {
      schemaVersion: number;
      validate: ValidateFunction;
      recorded: ValidateFunction;
      /** Per older version: its schema (for verify) and the step to the next version. */
      older: Map<number, { recorded: ValidateFunction; upcast: (data: never) => unknown }>;
    }
  >();

  constructor(definitions: readonly EventDefinition[]) {
    const ajv = compiler(FORMATS);
    // Events already in the log may hold instants an older release wrote in another ISO 8601
    // form (an offset, no milliseconds); verify accepts those when they parse to a day in range.
    const lenient = compiler({ ...FORMATS, 'business-instant': isBusinessInstant });
    for (const definition of definitions) {
      if (this.validators.has(definition.type)) throw new Error(`event type ${definition.type} is defined twice`);
      const older = new Map((definition.upcasters ?? []).map((step) => [step.from, { recorded: lenient.compile(step.data), upcast: step.upcast }]));
      for (let version = 1; version < definition.schemaVersion; version++) {
        if (!older.has(version)) throw new Error(`event type ${definition.type} has no upcaster from version ${version}`);
      }
      this.validators.set(definition.type, {
        schemaVersion: definition.schemaVersion,
        validate: ajv.compile(definition.data),
        recorded: lenient.compile(definition.data),
        older,
      });
    }
  }

  has(type: string): boolean {
    return this.validators.has(type);
  }

  get types(): string[] {
    return [...this.validators.keys()];
  }

  /**
   * What is wrong with an event (new or recorded), or an empty list.
   * `recorded` is for events already in the log (verify): an instant written by an older release
   * in another ISO 8601 form (an offset, no milliseconds) is accepted there as long as it parses
   * to a day in range; the write path insists on the one stored form, `YYYY-MM-DDTHH:mm:ss.sssZ`.
   */
  problems(event: Pick<NewEvent, 'type' | 'schemaVersion' | 'data' | 'effectiveAt'>, options: { recorded?: boolean } = {}): EventProblem[] {
    const entry = this.validators.get(event.type);
    if (!entry) return [{ field: 'type', message: `unknown event type ${event.type}` }];
    const out: EventProblem[] = [];
    const old = options.recorded ? entry.older.get(event.schemaVersion) : undefined;
    if (event.schemaVersion !== entry.schemaVersion && !old) {
      out.push({ field: 'schemaVersion', message: `${event.type} is at schema version ${entry.schemaVersion}, not ${event.schemaVersion}` });
    }
    const instantOk = options.recorded ? isBusinessInstant : isStoredInstant;
    if (event.effectiveAt !== undefined && !instantOk(event.effectiveAt)) {
      out.push({ field: 'effectiveAt', message: `effectiveAt must be a UTC instant (YYYY-MM-DDTHH:mm:ss.sssZ) within the supported range` });
    }
    const validate = old?.recorded ?? (options.recorded ? entry.recorded : entry.validate);
    if (!validate(event.data)) out.push(...(validate.errors ?? []).map(toProblem));
    return out;
  }

  /**
   * The event as readers see it: its data upcast, step by step, from the version it was written
   * at to the current one. The recorded event itself (and its hash) is never changed.
   */
  upcast<Event extends { readonly type: string; readonly schemaVersion: number; readonly data: unknown }>(event: Event): Event {
    const entry = this.validators.get(event.type);
    if (!entry || event.schemaVersion >= entry.schemaVersion) return event;
    let data = event.data;
    for (let version = event.schemaVersion; version < entry.schemaVersion; version++) {
      data = (entry.older.get(version) as { upcast: (data: never) => unknown }).upcast(data as never);
    }
    return { ...event, schemaVersion: entry.schemaVersion, data };
  }

  /**
   * Refuses events that break their schema. A decider fed validated input should never produce
   * one, so this is the last line before the log: the request is answered 422 `EVENT.INVALID`
   * naming the event fields at fault, and nothing is written.
   */
  assertValid(events: readonly NewEvent[]): void {
    const errors: { field: string; messages: string[] }[] = [];
    for (const event of events) {
      for (const problem of this.problems(event)) {
        errors.push({ field: `${event.type}.${problem.field}`, messages: [problem.message] });
      }
    }
    if (errors.length > 0) {
      throw new DomainError('EVENT.INVALID', 'The request would record an event the ledger does not accept.', 422, { errors });
    }
  }
}

function compiler(formats: Record<string, (value: string) => boolean>): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  for (const [name, test] of Object.entries(formats)) ajv.addFormat(name, { type: 'string', validate: test });
  return ajv;
}

function toProblem(error: ErrorObject): EventProblem {
  const path = error.instancePath.split('/').filter(Boolean).join('.');
  const extra = error.keyword === 'additionalProperties' ? `.${String(error.params.additionalProperty)}` : '';
  return { field: `data${path ? `.${path}` : ''}${extra}`, message: error.message ?? error.keyword };
}
