import { Actor } from '../../../shared/decider';

/**
 * Scoping of lending reads: a cooperative token sees only what its own cooperative is a party to.
 * Any other id (another cooperative, its report, a loan or exchange between two others) is
 * answered 404 with the same code and body as an id that does not exist, never 403; and a listing
 * filtered by a cooperative the token may not see is empty, exactly as for one that does not exist.
 */
export const READERS = ['steward', 'auditor', 'cooperative'] as const;
/** What a write can answer besides its 201: bad input, no token, a role or party that may not, unknown ids, conflicts, rules. */
export const WRITE_PROBLEMS = [400, 401, 403, 404, 409, 415, 422];
export const READ_PROBLEMS = [400, 401, 403];

export const dayOf = (now: Date): string => now.toISOString().slice(0, 10);

/** A cooperative token reading ids of which its cooperative is not a party: answered as unknown. */
export function hiddenFrom(actor: Actor, partyIds: readonly string[]): boolean {
  return actor.role === 'cooperative' && !partyIds.includes(actor.subject ?? '');
}

/**
 * The cooperative a listing is filtered by. A cooperative token's listings are always its own;
 * naming another cooperative gives an empty listing (`none`), as a cooperative that does not exist would.
 */
export function listScope(actor: Actor, cooperativeId: string | undefined): { cooperativeId?: string; none: boolean } {
  if (actor.role !== 'cooperative') return { cooperativeId, none: false };
  const own = actor.subject ?? '';
  return { cooperativeId: own, none: cooperativeId !== undefined && cooperativeId !== own };
}

/** Resources are shared with the whole network; who owns one, and the loan it is out on, are the parties'. */
export function resourceViewer(actor: Actor): string | undefined {
  return actor.role === 'cooperative' ? (actor.subject ?? '') : undefined;
}
