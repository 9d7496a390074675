/**
 * The shape of an event catalogue entry and the helpers that build its JSON Schema. Pure data
 * with no imports, so that each module's `<module>.events.ts` (a domain file, see
 * .dependency-cruiser.js) can define its events without depending on the event store or Ajv;
 * src/event-store/event-catalogue.ts compiles and checks them.
 */
export type JsonSchema = Record<string, unknown>;

/**
 * One step from an older shape of an event to the next: the data as it was written at version
 * `from` (its schema, so `ledger verify` can check old events as they were written), and the
 * pure function that answers the same fact at version `from + 1`. Events are never rewritten:
 * readers (deciders folding a stream, projections) get them upcast to the current version.
 */
export interface EventUpcaster {
  readonly from: number;
  readonly data: JsonSchema;
  readonly upcast: (data: never) => unknown;
}

export interface EventDefinition {
  readonly type: string;
  /** The version the writers produce today. */
  readonly schemaVersion: number;
  /** Schema of `data` at `schemaVersion`. */
  readonly data: JsonSchema;
  /** One step per older version, oldest first; changing an event's shape is adding one here. */
  readonly upcasters?: readonly EventUpcaster[];
}

/** An event as a decider answers it, before it is appended. */
interface DecidedEvent {
  readonly type: string;
  readonly data: unknown;
}

/**
 * The one way to turn decided events into events to append: each at its type's current schema
 * version from the module's catalogue (never a literal), and with the business date when given.
 * A module builds it once from its definitions: `const toAppend = newEventsOf(FUNDS_EVENTS)`.
 */
export function newEventsOf(definitions: readonly EventDefinition[]) {
  const versions = new Map(definitions.map((d) => [d.type, d.schemaVersion]));
  return (events: readonly DecidedEvent[], effectiveAt?: string) =>
    events.map((event) => {
      const schemaVersion = versions.get(event.type);
      if (schemaVersion === undefined) throw new Error(`Invariant violated: event type ${event.type} has no catalogue entry`);
      return { type: event.type, schemaVersion, data: event.data, ...(effectiveAt !== undefined ? { effectiveAt } : {}) };
    });
}

/** Schema helpers, so a module's catalogue reads as a list of fields. */
export const S = {
  object(properties: Record<string, JsonSchema>, optional: readonly string[] = []): JsonSchema {
    return {
      type: 'object',
      properties,
      required: Object.keys(properties).filter((key) => !optional.includes(key)),
      additionalProperties: false,
    };
  },
  text(maxLength = 500): JsonSchema {
    return { type: 'string', format: 'clean-text', minLength: 1, maxLength };
  },
  multiline(maxLength = 2000): JsonSchema {
    return { type: 'string', format: 'clean-multiline', minLength: 1, maxLength };
  },
  enumOf(values: readonly string[]): JsonSchema {
    return { type: 'string', enum: [...values] };
  },
  day: { type: 'string', format: 'business-day' } as JsonSchema,
  instant: { type: 'string', format: 'business-instant' } as JsonSchema,
  uuid: { type: 'string', format: 'uuid' } as JsonSchema,
  currency: { type: 'string', format: 'currency' } as JsonSchema,
  account: { type: 'string', format: 'account', maxLength: 260 } as JsonSchema,
  sha256: { type: 'string', format: 'sha256' } as JsonSchema,
  /** A positive whole number of minor units within the safe integer range. */
  minor: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as JsonSchema,
  /** Zero or more minor units. */
  minorOrZero: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as JsonSchema,
  int(minimum: number, maximum: number): JsonSchema {
    return { type: 'integer', minimum, maximum };
  },
  bool: { type: 'boolean' } as JsonSchema,
  arrayOf(items: JsonSchema, minItems = 0, maxItems = 1000): JsonSchema {
    return { type: 'array', items, minItems, maxItems };
  },
  nullable(schema: JsonSchema): JsonSchema {
    return { anyOf: [schema, { type: 'null' }] };
  },
  /** Double-entry postings; `ledger verify` also checks they balance per asset. */
  get postings(): JsonSchema {
    return this.arrayOf(this.object({ from: this.account, to: this.account, amountMinor: this.minor, asset: this.text(40) }), 1, 100);
  },
};
