import type { Actor } from '../shared/decider';

/** Everything about a request that is not its payload; the HTTP layer and the CLI each build one. */
export interface CommandContext {
  readonly actor: Actor;
  readonly correlationId: string;
  /** The id of this request; every event it causes names it as its cause. */
  readonly causationId: string;
  readonly idempotencyKey?: string;
  /** A digest of what was asked (method, path, body), to tell a retry from a different request. */
  readonly fingerprint?: string;
  /** The instant the command is decided at, read once from the Clock. */
  readonly now: Date;
}
