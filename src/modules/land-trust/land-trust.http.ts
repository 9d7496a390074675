import { ApiParam } from '@nestjs/swagger';

/** What every land-trust route shares: who may call it, what it may answer, its path parameters. */
export const WRITERS = ['steward'] as const;
export const READERS = ['steward', 'auditor'] as const;
export const DEFAULT_LIMIT = 50;

/** What a write can answer: bad input, no token, wrong role, unknown id, a conflict, a body too large or not JSON, a refused rule, a store that cannot write. */
export const WRITE_PROBLEMS = [400, 401, 403, 404, 409, 413, 415, 422, 503];
export const READ_PROBLEMS = [400, 401, 403];
export const READ_ONE_PROBLEMS = [400, 401, 403, 404];

export const PropertyIdParam = () => ApiParam({ name: 'propertyId', format: 'uuid', description: 'The property id.' });
export const ImprovementIdParam = () => ApiParam({ name: 'improvementId', format: 'uuid', description: 'The improvement project id.' });

/**
 * The operation id the OpenAPI document has always published for a route. The routes were one
 * controller's methods; generated clients name their calls after these ids, so they stay.
 */
export const operationId = (method: string): string => `LandTrustController_${method}`;

/** CSV when the client asks for it (`Accept: text/csv`), JSON otherwise. */
export function wantsCsv(accept: string | undefined): boolean {
  return /\btext\/csv\b/i.test(accept ?? '');
}

/** A page of a listing: `next` is present when the page is full (there may be more). */
export function page<T>(items: T[], limit: number, cursor: (last: T) => string): { items: T[]; next?: string } {
  return { items, ...(items.length === limit && items.length > 0 ? { next: cursor(items[items.length - 1]) } : {}) };
}
