/**
 * The specs' rebuild split over two threads (see ThreadModules.apart), loaded by path as
 * `counting.ts` is: `counts` (stuck at position 3,000) and `applied-by-apart` are built apart,
 * `others` and `applied-by` by the first thread; each `applied-by` records which thread applied
 * its events.
 */
import type { Projection } from '../projection';
import { appliedBy, appliedByIn, counting } from './counting';

export { catalogue } from './counting';

export const projections: readonly Projection[] = [counting(1, 3_000), counting(1, undefined, 'others'), appliedBy, appliedByIn('applied-by-apart', 'applied_by_apart')];

export const apart: readonly string[] = ['counts', 'applied-by-apart'];
