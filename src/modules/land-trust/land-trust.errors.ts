import { ConflictError, DomainError, NotFoundError } from '../../shared/domain-error';

/**
 * Every code the land trust answers itself, with its HTTP status: thrown by name from the
 * deciders and the handlers, so a code and its status are written once. The codes are the
 * contract (README "Problem codes"); the messages explain them to a person. Codes of other
 * modules that reach a client through a land-trust route (PERIOD.CLOSED, the funds' decider's
 * FUND.* refusals) stay with the module that owns them.
 */
export const LandTrustErrors = {
  propertyNotFound: (propertyId?: string) =>
    propertyId === undefined
      ? new NotFoundError('PROPERTY.NOT_FOUND', 'No such property.')
      : new NotFoundError('PROPERTY.NOT_FOUND', `No property ${propertyId}.`, { propertyId }),
  /** A plan names a property that is not registered (the decider was given its status, not its stream). */
  plannedPropertyNotFound: (propertyId: string) => new NotFoundError('PROPERTY.NOT_FOUND', `No property ${propertyId}.`),
  propertyExists: () => new ConflictError('PROPERTY.ALREADY_EXISTS', 'This property id is taken.'),
  parcelTaken: (parcelId: string) => new ConflictError('PROPERTY.PARCEL_TAKEN', `Parcel ${parcelId} is already registered.`, { parcelId }),
  acquiredInFuture: () => new DomainError('PROPERTY.ACQUIRED_IN_FUTURE', 'A property cannot be registered as acquired in the future.', 422),
  statusUnchanged: (status: string) => new ConflictError('PROPERTY.STATUS_UNCHANGED', `The property is already ${status}.`),
  /** What a sold property refuses: `refused` ends the sentence (no longer changes status, takes no new lease …). */
  propertySold: (refused: string) => new ConflictError('PROPERTY.SOLD', `A sold property ${refused}.`),

  householdIdInvalid: () =>
    new DomainError('LEASE.HOUSEHOLD_ID_INVALID', 'A household is named by a pseudonymous id (4 to 64 letters, digits, - or _), never by name.', 400, {
      field: 'householdId',
    }),
  leaseTermInvalid: () => new DomainError('LEASE.TERM_INVALID', 'A ground lease term is 1 to 199 whole years.', 400, { field: 'termYears' }),
  leaseOverlaps: (runsUntil: string, leaseId: string) => new ConflictError('LEASE.OVERLAPS', `The current ground lease runs until ${runsUntil}.`, { leaseId }),

  improvementNotFound: (improvementId?: string) =>
    improvementId === undefined
      ? new NotFoundError('IMPROVEMENT.NOT_FOUND', 'No such improvement project.')
      : new NotFoundError('IMPROVEMENT.NOT_FOUND', `No improvement project ${improvementId}.`, { improvementId }),
  /** An improvement or increase id that is already taken (`what`: "improvement", "increase"). */
  alreadyExists: (what: string) => new ConflictError('IMPROVEMENT.ALREADY_EXISTS', `This ${what} id is taken.`),
  notApproved: (action: string) => new ConflictError('IMPROVEMENT.NOT_APPROVED', `The project is not approved yet: no ${action}.`, { status: 'planned' }),
  /** An action refused on completed work; `details` carries the project's status where the refusal names it. */
  completed: (message: string, details: Record<string, unknown> = {}) => new ConflictError('IMPROVEMENT.COMPLETED', message, details),
  cancelled: (message: string, details: Record<string, unknown> = {}) => new ConflictError('IMPROVEMENT.CANCELLED', message, details),
  alreadyCompleted: () => new ConflictError('IMPROVEMENT.ALREADY_COMPLETED', 'The project is already completed.'),
  alreadyDecided: (message: string) => new ConflictError('IMPROVEMENT.ALREADY_DECIDED', message),
  selfApproval: (what: 'planned' | 'requested') => new DomainError('IMPROVEMENT.SELF_APPROVAL', `Another steward approves what you ${what}.`, 403),
  fundingRequired: () => new DomainError('IMPROVEMENT.FUNDING_REQUIRED', 'At least one funding line is needed.', 400, { field: 'fundingLines' }),
  /** A non-positive amount; `field` names the bad field as a DTO check would. */
  amountInvalid: (message: string, field: string) => new DomainError('IMPROVEMENT.AMOUNT_INVALID', message, 400, { field }),
  duplicateFund: (fundCode: string, fundId: string) =>
    new DomainError('IMPROVEMENT.DUPLICATE_FUND', `Fund ${fundCode} appears twice; give it one line.`, 400, { fundId }),
  /** The funds' own code, refused here because a funding line names a closed fund. */
  fundClosed: (fundCode: string, fundId: string) => new ConflictError('FUND.CLOSED', `Fund ${fundCode} is closed.`, { fundId }),
  currencyMismatch: (message: string, details: Record<string, unknown>) => new DomainError('IMPROVEMENT.CURRENCY_MISMATCH', message, 422, details),
  purposeMismatch: (fundCode: string, fundId: string, fundPurpose: string | undefined) =>
    new DomainError('IMPROVEMENT.PURPOSE_MISMATCH', `Money in ${fundCode} is restricted to "${fundPurpose}".`, 422, { fundId, fundPurpose }),
  fundingShort: (fundedMinor: number, estimateMinor: number) =>
    new DomainError('IMPROVEMENT.FUNDING_SHORT', `Funding lines cover ${fundedMinor} of an estimate of ${estimateMinor}.`, 422, { estimateMinor, fundedMinor }),
  approvalBeforePlan: (plannedOn: string) =>
    new DomainError('IMPROVEMENT.APPROVAL_BEFORE_PLAN', `The project was planned on ${plannedOn}; its approval cannot be dated before.`, 422, { plannedOn }),
  expenseInFuture: (message: string) => new DomainError('IMPROVEMENT.EXPENSE_IN_FUTURE', message, 422),
  expenseBeforeApproval: (approvedOn: string) =>
    new DomainError('IMPROVEMENT.EXPENSE_BEFORE_APPROVAL', `The project was approved on ${approvedOn}; an expense cannot be dated before.`, 422, { approvedOn }),
  duplicateInvoice: (invoiceReference: string, vendor: string) =>
    new ConflictError('IMPROVEMENT.DUPLICATE_INVOICE', `Invoice ${invoiceReference} of ${vendor} is already paid.`),
  overAllocation: (remainingMinor: number, requestedMinor: number) =>
    new ConflictError('IMPROVEMENT.OVER_ALLOCATION', `The allocation has ${remainingMinor} left; a budget increase must be approved first.`, { remainingMinor, requestedMinor }),
  timeRestricted: (fundCode: string, fundId: string, restrictedUntil: string) =>
    new DomainError('IMPROVEMENT.TIME_RESTRICTED', `Money in ${fundCode} is restricted until ${restrictedUntil}.`, 422, { fundId }),
  expenseNotFound: (expenseId: string) => new NotFoundError('IMPROVEMENT.EXPENSE_NOT_FOUND', 'No such expense on this project.', { expenseId }),
  expenseAlreadyReversed: (expenseId: string) => new ConflictError('IMPROVEMENT.EXPENSE_ALREADY_REVERSED', 'This expense is already reversed.', { expenseId }),
  reversalBeforeExpense: (paidOn: string) =>
    new DomainError('IMPROVEMENT.REVERSAL_BEFORE_EXPENSE', `The expense was paid on ${paidOn}; its reversal cannot be dated before.`, 422),
  increaseBeforeApproval: (approvedOn: string) =>
    new DomainError('IMPROVEMENT.INCREASE_BEFORE_APPROVAL', `The project was approved on ${approvedOn}; an increase cannot be dated before.`, 422, { approvedOn }),
  increaseNotFound: () => new NotFoundError('IMPROVEMENT.INCREASE_NOT_FOUND', 'No such budget increase on this project.'),
  approvalBeforeRequest: (requestedOn: string) =>
    new DomainError('IMPROVEMENT.APPROVAL_BEFORE_REQUEST', `The increase was requested on ${requestedOn}; its approval cannot be dated before.`, 422, { requestedOn }),
  completedInFuture: () => new DomainError('IMPROVEMENT.COMPLETED_IN_FUTURE', 'A completion date cannot be in the future.', 422),
  notCompleted: () => new ConflictError('IMPROVEMENT.NOT_COMPLETED', 'A resale credit is recorded for completed work only.'),
  resaleCreditExists: () => new ConflictError('IMPROVEMENT.RESALE_CREDIT_EXISTS', 'This project already has its resale credit.'),
  creditExceedsCost: (spentMinor: number) =>
    new DomainError('IMPROVEMENT.CREDIT_EXCEEDS_COST', `The credit exceeds what the work cost (${spentMinor}).`, 422, { spentMinor }),
  dateInFuture: (effectiveAt: string) =>
    new DomainError('IMPROVEMENT.DATE_IN_FUTURE', 'A plan, request or approval is recorded once it happened: its date cannot be in the future.', 422, { effectiveAt }),
  /** The fund a funding line names does not exist (the funds' code, answered for a land-trust write). */
  fundNotFound: (fundId: string) => new NotFoundError('FUND.NOT_FOUND', `No fund ${fundId}.`, { fundId }),
} as const;
