/**
 * A business rejection: the command was understood and refused. `code` is stable and is what
 * clients and tests match on; `status` is the HTTP status the problem document carries.
 * `details` become extensions of the problem document, except `field` (one dotted path) and
 * `fields` (several), which the problem filter answers as `errors: [{field, messages}]` with
 * the message, so that a rule checked in a decider reads like one checked by a DTO.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 422 | 429 = 422,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, 404, details);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, 409, details);
  }
}

/** An invariant the code itself guarantees was broken: a bug, never a user error. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) {
    throw new Error(`Invariant violated: ${message}`);
  }
}

/** Exhaustiveness check for `switch` over a union: compiling fails when a case is missing. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
