import { LedgerErrors } from '../ledger.errors';
import type { BalanceQueryDto } from './balance-query.dto';

/** `asOf` and `atPosition` are two ways to say "then": one at a time. Checked before waiting for `minPosition`. */
export function checkOneFilter(query: BalanceQueryDto): void {
  if (query.asOf !== undefined && query.atPosition !== undefined) throw LedgerErrors.conflictingFilters();
}
