import { DomainError } from '../../shared/domain-error';

/**
 * Every code the ledger module answers, with its HTTP status, thrown by name from the period
 * decider and the handlers. Pure like the deciders that import it.
 */
export const PeriodErrors = {
  /** `range` is the supported business dates: a period outside them could never be recorded. */
  invalid: (period: string, range: string) => {
    const message = `${period} is not a period within ${range}.`;
    return new DomainError('PERIOD.INVALID', message, 400, { errors: [{ field: 'period', messages: [message] }] });
  },
  closed: (day: string, period: string) => new DomainError('PERIOD.CLOSED', `${day} falls in the closed period ${period}.`, 422, { period }),
  notEnded: (period: string, end: string) => new DomainError('PERIOD.NOT_ENDED', `${period} has not ended yet.`, 422, { end }),
  alreadyClosed: (period: string) => new DomainError('PERIOD.ALREADY_CLOSED', `${period} is already closed.`, 409),
};

/** Answered for the fund balance too, which reads the ledger's balances. */
export const LedgerErrors = {
  /** `asOf` and `atPosition` are two ways to say "then": one at a time. */
  conflictingFilters: () => {
    const message = 'Give asOf or atPosition, not both.';
    return new DomainError('REQUEST.CONFLICTING_FILTERS', message, 400, { errors: [{ field: 'atPosition', messages: [message] }] });
  },
};
