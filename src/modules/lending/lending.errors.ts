import { ConflictError, DomainError, NotFoundError } from '../../shared/domain-error';

/**
 * Every code lending answers, with its HTTP status, thrown by name from the deciders, handlers and
 * query handlers. A domain file (the deciders import it), so it imports only what they may.
 * Where one code has several causes (LOAN.NOT_OUT, LOAN.DUE_BEFORE_START …) each cause has its
 * factory: the code is the contract, the message says which rule refused.
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
  scheduleOutOfRange: (maxDay: string) =>
    new DomainError('LOAN.INSTALMENTS_INVALID', `The schedule runs past ${maxDay}.`, 400, {
      errors: [{ field: 'repayment.instalments', messages: [`the last instalment falls due after ${maxDay}`] }],
    }),
  chargesInvalid: () => new DomainError('LOAN.CHARGES_INVALID', 'A deposit or fee comes with its currency, and a currency only with one of them.', 400),
  /** Lending from a fund answers the fund's own codes for an unknown or closed fund. */
  fundNotFound: (fundId: string) => new DomainError('FUND.NOT_FOUND', `No fund ${fundId}.`, 404, { fundId }),
  fundClosed: (fundId: string, code: string) => new DomainError('FUND.CLOSED', `Fund ${code} is closed.`, 409, { fundId }),

  // Cooperatives
  cooperativeExists: () => new ConflictError('COOPERATIVE.ALREADY_EXISTS', 'This cooperative id is taken.'),
  labourLimitInvalid: () => new DomainError('LABOUR.LIMIT_INVALID', 'A labour limit is a whole number of minutes, zero or more.', 400, { field: 'limitMinutes' }),

  // Labour exchanges
  labourExchangeExists: () => new ConflictError('LABOUR.ALREADY_EXISTS', 'This exchange id is taken.'),
  labourSameCooperative: () => new DomainError('LABOUR.SAME_COOPERATIVE', 'Hours move between two different cooperatives.', 422),
  proposesForAnother: () => new DomainError('COOPERATIVE.ACTING_FOR_ANOTHER', 'A cooperative proposes only hours it gave or received.', 403),
  labourMinutesInvalid: (maxMinutes: number) => new DomainError('LABOUR.MINUTES_INVALID', `Minutes are a whole number from 1 to ${maxMinutes}.`, 400, { field: 'minutes' }),
  labourDateInFuture: () => new DomainError('LABOUR.DATE_IN_FUTURE', 'Hours are recorded once worked.', 422, { field: 'workedOn' }),
  noSuchLabourExchange: () => new NotFoundError('LABOUR.NOT_FOUND', 'No such labour exchange.'),
  labourAlreadyConfirmed: () => new ConflictError('LABOUR.ALREADY_CONFIRMED', 'Both sides already confirmed these hours.'),
  confirmsForAnother: () => new DomainError('COOPERATIVE.ACTING_FOR_ANOTHER', 'Only the two cooperatives of an exchange confirm it.', 403),
  counterpartConfirmationRequired: () =>
    new ConflictError('LABOUR.COUNTERPART_CONFIRMATION_REQUIRED', 'The other cooperative confirms these hours; a side does not confirm its own proposal.'),

  // Money loans
  noSuchMoneyLoan: () => new NotFoundError('LOAN.NOT_FOUND', 'No such money loan.'),
  loanExists: () => new ConflictError('LOAN.ALREADY_EXISTS', 'This loan id is taken.'),
  loanPending: () => new ConflictError('LOAN.PENDING', "The loan awaits a second steward's approval; nothing was disbursed yet."),
  loanRejected: (loanId: string) => new ConflictError('LOAN.CLOSED', 'The loan was rejected.', { loanId, status: 'rejected' }),
  loanClosed: (loanId: string, status: string) => new ConflictError('LOAN.CLOSED', `The loan is already ${status}.`, { loanId, status }),
  loanAlreadyDecided: (status: string) =>
    new ConflictError('LOAN.ALREADY_DECIDED', `The loan is already ${status === 'rejected' ? 'rejected' : 'disbursed'}.`, { status }),
  onlyFundLoansAwaitApproval: () => new DomainError('LOAN.LENDER_REQUIRED', 'Only a loan from a fund awaits approval.', 400),
  selfApproval: () => new DomainError('LOAN.SELF_APPROVAL', 'A loan from a fund is approved by a steward other than the one who asked for it.', 403),
  selfLoan: () => new DomainError('LOAN.SELF_LOAN', 'A cooperative does not lend to itself.', 422),
  fundRestricted: () => new DomainError('LOAN.FUND_RESTRICTED', 'A donor-restricted fund is spent on its purpose; it does not lend.', 422),
  fundCurrencyMismatch: (fundCurrency: string, currency: string) =>
    new DomainError('LOAN.CURRENCY_MISMATCH', `The lending fund keeps ${fundCurrency}, not ${currency}.`, 422, { fundCurrency }),
  loanCurrencyMismatch: (loanCurrency: string, currency: string) => new DomainError('LOAN.CURRENCY_MISMATCH', `The loan is in ${loanCurrency}, not ${currency}.`, 422),
  /** `field`: the request field that dates the first instalment's rule (the schedule's, or the approval's day). */
  firstDueBeforeDisbursement: (field: string) => new DomainError('LOAN.DUE_BEFORE_START', 'The first repayment falls due after the loan is disbursed.', 422, { field }),
  instalmentsCount: (max: number) => new DomainError('LOAN.INSTALMENTS_INVALID', `A schedule has 1 to ${max} instalments.`, 400, { field: 'repayment.instalments' }),
  instalmentTooSmall: () => new DomainError('LOAN.INSTALMENTS_INVALID', 'Every instalment is at least one minor unit.', 400, { field: 'repayment.instalments' }),
  moneyDateInFuture: (field: string) => new DomainError('LOAN.DATE_IN_FUTURE', `${field} is in the future; money moves on the day it moves.`, 422, { field }),
  beforeDisbursement: (field: string, disbursedOn: string) =>
    new DomainError('LOAN.BEFORE_DISBURSEMENT', `${field} is before the loan was disbursed on ${disbursedOn}.`, 422, { field }),
  beforeRequest: (requestedOn: string) => new DomainError('LOAN.BEFORE_REQUEST', `disbursedOn is before the day asked for, ${requestedOn}.`, 422, { field: 'disbursedOn' }),
  overpayment: (outstandingMinor: number, requestedMinor: number) =>
    new DomainError('LOAN.OVERPAYMENT', `Only ${outstandingMinor} is outstanding; ${requestedMinor} is more than is owed.`, 422, { outstandingMinor, requestedMinor }),

  // Resources and loans of things
  noSuchResource: () => new NotFoundError('RESOURCE.NOT_FOUND', 'No such resource.'),
  resourceExists: () => new ConflictError('RESOURCE.ALREADY_EXISTS', 'This resource id is taken.'),
  retireReasonRequired: () => new DomainError('RESOURCE.REASON_REQUIRED', 'A retired resource needs the reason.', 400, { field: 'reason' }),
  statusUnchanged: (status: string) => new ConflictError('RESOURCE.STATUS_UNCHANGED', `The resource is already ${status}.`),
  onLoanComesBackFirst: () => new ConflictError('RESOURCE.ON_LOAN', 'The resource is out on loan; it comes back first.'),
  alreadyLentOut: (resourceId: string) => new ConflictError('RESOURCE.ON_LOAN', 'The resource is already lent out.', { resourceId }),
  resourceRetired: (resourceId: string) => new ConflictError('RESOURCE.RETIRED', 'A retired resource is not lent.', { resourceId }),
  resourceInRepair: (resourceId: string) => new ConflictError('RESOURCE.IN_REPAIR', 'The resource is being repaired.', { resourceId }),
  factDateInFuture: (field: string) => new DomainError('LOAN.DATE_IN_FUTURE', `${field} is in the future; record what happened once it happened.`, 422, { field }),
  beforeCheckout: (field: string, checkedOutOn: string) =>
    new DomainError('LOAN.BEFORE_CHECKOUT', `${field} is before the loan went out on ${checkedOutOn}.`, 422, { field }),
  dueBeforeStart: () => new DomainError('LOAN.DUE_BEFORE_START', 'The due date is before the start.', 422, { field: 'dueOn' }),
  renewalNotPastDue: (dueOn: string) => new DomainError('LOAN.DUE_BEFORE_START', `A renewal runs past the current due date ${dueOn}.`, 422, { field: 'dueOn' }),
  ownResource: () => new DomainError('LOAN.OWN_RESOURCE', 'A cooperative does not borrow its own resource.', 422),
  startInPast: () => new DomainError('LOAN.START_IN_PAST', 'A reservation starts today or later.', 422, { field: 'startOn' }),
  chargeAmountsInvalid: () => new DomainError('LOAN.CHARGES_INVALID', 'A deposit or fee is a whole, non-negative number of minor units, and not both zero.', 400),
  reservationOverlaps: (startOn: string, dueOn: string) =>
    new ConflictError('LOAN.RESERVATION_OVERLAPS', `The resource is booked from ${startOn} to ${dueOn}.`, { startOn, dueOn }),
  reservedByAnother: (startOn: string, dueOn: string) =>
    new ConflictError('LOAN.RESERVED_BY_ANOTHER', `Someone else has the resource reserved from ${startOn}.`, { startOn, dueOn }),
  alreadyReturned: (loanId: string) => new ConflictError('LOAN.ALREADY_RETURNED', 'This loan was already returned.', { loanId }),
  notOut: (loanId: string, state: string) => new ConflictError('LOAN.NOT_OUT', `This loan is ${state}, not out.`, { loanId, state }),
  chargesSettled: (loanId: string, state: string) => new ConflictError('LOAN.NOT_OUT', `This loan is ${state}; its charges are settled.`, { loanId }),
  notReserved: (loanId: string, state: string) => new ConflictError('LOAN.NOT_RESERVED', `This loan is ${state}, not reserved.`, { loanId }),
  notStarted: (startOn: string) => new DomainError('LOAN.NOT_STARTED', `The reservation starts on ${startOn}.`, 422, { field: 'checkedOutOn' }),
  reservationLapsed: (dueOn: string) => new ConflictError('LOAN.RESERVATION_LAPSED', `The reservation ended on ${dueOn}.`, { field: 'checkedOutOn' }),
  noSuchCharge: (loanId: string, charge: string) => new ConflictError('LOAN.NO_SUCH_CHARGE', `This loan has no ${charge}.`, { loanId }),
  chargeAlreadyWaived: (charge: string) => new ConflictError('LOAN.CHARGE_ALREADY_WAIVED', `The ${charge} is already waived.`),
} as const;
