import { DomainError } from '../../shared/domain-error';
import { BUSINESS_DAY_RANGE } from '../../shared/business-date';

/**
 * The codes the ledger module's handlers answer (REQUEST.CONFLICTING_FILTERS for the fund balance too), with their HTTP status. PERIOD.CLOSED,
 * PERIOD.ALREADY_CLOSED and PERIOD.NOT_ENDED are decided in `period/period.decider.ts`.
 */
export const PeriodErrors = {
  /** A period outside the supported business dates could never be recorded: bad input. */
  invalid: (period: string) => {
    const message = `${period} is not a period within ${BUSINESS_DAY_RANGE}.`;
    return new DomainError('PERIOD.INVALID', message, 400, { errors: [{ field: 'period', messages: [message] }] });
  },
};

export const LedgerErrors = {
  /** `asOf` and `atPosition` are two ways to say "then": one at a time. */
  conflictingFilters: () => {
    const message = 'Give asOf or atPosition, not both.';
    return new DomainError('REQUEST.CONFLICTING_FILTERS', message, 400, { errors: [{ field: 'atPosition', messages: [message] }] });
  },
};
