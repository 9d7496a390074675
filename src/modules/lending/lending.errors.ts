import { MAX_BUSINESS_DAY } from '../../shared/business-date';
import { ConflictError, DomainError, NotFoundError } from '../../shared/domain-error';

/**
 * The codes lending answers from its handlers and controllers, each with its HTTP status, thrown
 * by name. The deciders' rule codes (LOAN.OVERPAYMENT, RESOURCE.ON_LOAN, LABOUR.SAME_COOPERATIVE …)
 * are thrown where the rule lives and listed in the README's Problem codes.
 */
export const LendingErrors = {
  cooperativeNotFound: (cooperativeId: string) => new NotFoundError('COOPERATIVE.NOT_FOUND', `No cooperative ${cooperativeId}.`, { cooperativeId }),
  cooperativeNameTaken: (name: string) => new ConflictError('COOPERATIVE.NAME_TAKEN', `A cooperative named ${name} is already registered.`, { name }),
  /** A cooperative token acts only for the cooperative it is bound to. */
  actingForAnother: (subject: string | undefined) =>
    new DomainError('COOPERATIVE.ACTING_FOR_ANOTHER', 'This token acts for another cooperative.', 403, { subject: subject ?? null }),
  /** A write on a loan (money or thing) that does not exist or that the token may not see. */
  loanNotFound: (loanId: string) => new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId}.`, { loanId }),
  /** A read of a money loan not disbursed (nor requested) by the date asked for. */
  moneyLoanNotFoundAsOf: (loanId: string) => new NotFoundError('LOAN.NOT_FOUND', `No money loan ${loanId} as of that date.`, { loanId }),
  thingLoanNotFoundAsOf: (loanId: string) => new NotFoundError('LOAN.NOT_FOUND', `No loan ${loanId} as of that date.`, { loanId }),
  labourExchangeNotFound: (exchangeId: string) => new NotFoundError('LABOUR.NOT_FOUND', `No labour exchange ${exchangeId}.`, { exchangeId }),
  resourceNotFound: (resourceId: string) => new NotFoundError('RESOURCE.NOT_FOUND', `No resource ${resourceId}.`, { resourceId }),
  lenderRequired: () =>
    new DomainError('LOAN.LENDER_REQUIRED', 'A loan comes from exactly one of fromFundId or fromCooperativeId.', 400, {
      errors: [{ field: 'fromFundId', messages: ['exactly one of fromFundId or fromCooperativeId'] }],
    }),
  stewardOnlyLends: () => new DomainError('LOAN.STEWARD_ONLY', 'Only a steward lends from a fund.', 403),
  stewardOnlyForgives: () => new DomainError('LOAN.STEWARD_ONLY', 'Only a steward forgives a loan from a fund.', 403),
  scheduleOutOfRange: () =>
    new DomainError('LOAN.INSTALLMENTS_INVALID', `The schedule runs past ${MAX_BUSINESS_DAY}.`, 400, {
      errors: [{ field: 'repayment.installments', messages: [`the last instalment falls due after ${MAX_BUSINESS_DAY}`] }],
    }),
  chargesInvalid: () => new DomainError('LOAN.CHARGES_INVALID', 'A deposit or fee comes with its currency, and a currency only with one of them.', 400),
  /** Lending from a fund answers the fund's own codes for an unknown or closed fund. */
  fundNotFound: (fundId: string) => new DomainError('FUND.NOT_FOUND', `No fund ${fundId}.`, 404, { fundId }),
  fundClosed: (fundId: string, code: string) => new DomainError('FUND.CLOSED', `Fund ${code} is closed.`, 409, { fundId }),
} as const;
