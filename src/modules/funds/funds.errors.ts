import { ConflictError, DomainError, NotFoundError } from '../../shared/domain-error';

/**
 * Every code the funds module answers, with its HTTP status, thrown by name from the deciders
 * (`fund/`, `movement/`) and the handlers. Pure like the deciders that import it.
 */

/** A 400 of a business rule names its field the way a validation error does. */
function fieldProblem(code: string, field: string, message: string): DomainError {
  return new DomainError(code, message, 400, { errors: [{ field, messages: [message] }] });
}

interface FundNamed {
  readonly code: string;
  readonly fundId: string;
}

export const FundErrors = {
  notFound: (fundId: string) => new NotFoundError('FUND.NOT_FOUND', `No fund ${fundId}.`, { fundId }),
  /** The same code as a decider says it: a fund's stream that holds nothing knows no id. */
  noSuchFund: () => new DomainError('FUND.NOT_FOUND', 'No such fund.', 404),
  codeTaken: (code: string) => new ConflictError('FUND.CODE_TAKEN', `A fund with code ${code} already exists.`, { fundCode: code }),
  alreadyExists: () => new DomainError('FUND.ALREADY_EXISTS', 'This fund id is taken.', 409),
  codeInvalid: () => fieldProblem('FUND.CODE_INVALID', 'code', 'A fund code is 2 to 40 lowercase letters, digits and hyphens.'),
  currencyInvalid: (currency: string) => fieldProblem('FUND.CURRENCY_INVALID', 'currency', `${currency} is not an ISO 4217 currency.`),
  purposeRequired: () => fieldProblem('FUND.PURPOSE_REQUIRED', 'restriction.purpose', 'A donor-restricted fund needs the purpose it is restricted to.'),
  timeRestrictionNotAllowed: () =>
    fieldProblem('FUND.TIME_RESTRICTION_NOT_ALLOWED', 'restriction.restrictedUntil', 'Only donor-restricted funds can be restricted until a date.'),
  closed: (fund: FundNamed) => new DomainError('FUND.CLOSED', `Fund ${fund.code} is closed.`, 409, { fundId: fund.fundId }),
  notEmpty: (code: string, postedMinor: number, pendingMinor: number) =>
    new DomainError('FUND.NOT_EMPTY', `Fund ${code} still holds money or pending amounts.`, 409, { postedMinor, pendingMinor }),
  insufficientAvailable: (fund: FundNamed, requestedMinor: number, availableNow: number) =>
    new DomainError('FUND.INSUFFICIENT_AVAILABLE', `Fund ${fund.code} has ${availableNow} available, ${requestedMinor} needed.`, 409, {
      fundId: fund.fundId,
      availableMinor: availableNow,
      requestedMinor,
    }),
  holdInsufficient: (fund: FundNamed, holdId: string, heldMinor: number, requestedMinor: number) =>
    new DomainError('FUND.HOLD_INSUFFICIENT', `Hold ${holdId} on fund ${fund.code} has ${heldMinor}, ${requestedMinor} needed.`, 409, {
      fundId: fund.fundId,
      holdId,
      heldMinor,
      requestedMinor,
    }),
};

export const MovementErrors = {
  /** `kind` names what was asked for: a transfer, a disbursement, or any movement. */
  notFound: (movementId: string, kind?: string) =>
    new NotFoundError('MOVEMENT.NOT_FOUND', `No ${kind ?? 'movement'} ${movementId}.`, { movementId }),
  noSuchMovement: () => new DomainError('MOVEMENT.NOT_FOUND', 'No such movement.', 404),
  alreadyExists: () => new DomainError('MOVEMENT.ALREADY_EXISTS', 'This movement id is taken.', 409),
  amountInvalid: () => new DomainError('MOVEMENT.AMOUNT_INVALID', 'The amount must be a positive whole number of minor units.', 400),
  currencyMismatch: (role: string, fund: FundNamed & { readonly currency: string }, currency: string) =>
    new DomainError('MOVEMENT.CURRENCY_MISMATCH', `The ${role} fund ${fund.code} holds ${fund.currency}, not ${currency}.`, 422, {
      fundId: fund.fundId,
      fundCurrency: fund.currency,
      currency,
    }),
  dateInFuture: (effectiveAt: string) =>
    new DomainError('MOVEMENT.DATE_IN_FUTURE', 'A decision is recorded once taken: its effectiveAt cannot be in the future.', 422, { effectiveAt }),
  /** MOVEMENT.DATE_BEFORE_REQUEST or MOVEMENT.REVERSAL_BEFORE_ORIGINAL: a decision dated before it could be taken. */
  dateTooEarly: (code: 'MOVEMENT.DATE_BEFORE_REQUEST' | 'MOVEMENT.REVERSAL_BEFORE_ORIGINAL', earliest: string, effectiveAt: string) =>
    new DomainError(code, `A decision on this movement cannot be dated before ${earliest}.`, 422, { earliest, effectiveAt }),
  alreadyDecided: (status: string) => new DomainError('MOVEMENT.ALREADY_DECIDED', `The movement is already ${status}.`, 409, { status }),
  selfApproval: () => new DomainError('MOVEMENT.SELF_APPROVAL', 'A request must be approved by someone other than who made it.', 403),
  expired: (expiresAt: string | undefined) => new DomainError('MOVEMENT.EXPIRED', `The request expired at ${expiresAt}.`, 409, { expiresAt }),
  notExpired: () => new DomainError('MOVEMENT.NOT_EXPIRED', 'The request has not expired.', 409),
  notPosted: (status: string) => new DomainError('MOVEMENT.NOT_POSTED', `Only a posted movement can be reversed; this one is ${status}.`, 409),
  alreadyReversed: () => new DomainError('MOVEMENT.ALREADY_REVERSED', 'The movement was already reversed.', 409),
};

export const TransferErrors = {
  sameFund: () => new DomainError('TRANSFER.SAME_FUND', 'A transfer needs two different funds.', 422),
  purposeMismatch: (fromCode: string, purpose: string | undefined, toCode: string) =>
    new DomainError('TRANSFER.PURPOSE_MISMATCH', `Money in ${fromCode} is restricted to "${purpose}" and cannot move to ${toCode}.`, 422),
};

export const DisbursementErrors = {
  purposeMismatch: (code: string, fundPurpose: string | undefined, purpose: string | undefined) =>
    new DomainError('DISBURSEMENT.PURPOSE_MISMATCH', `Money in ${code} may only be spent on "${fundPurpose}".`, 422, {
      fundPurpose,
      purpose: purpose ?? null,
    }),
  timeRestricted: (code: string, until: string) => new DomainError('DISBURSEMENT.TIME_RESTRICTED', `Money in ${code} is restricted until ${until}.`, 422),
};

/** A donation is decided by the movement decider from the sustainers' facts: their codes are answered here. */
export const DonationErrors = {
  fundRequired: () => new DomainError('DONATION.FUND_REQUIRED', 'A donation without a pledge needs a fundId.', 400),
  sustainerNotFound: (sustainerId: string) => new DomainError('SUSTAINER.NOT_FOUND', `No sustainer ${sustainerId}.`, 404, { sustainerId }),
  sustainerErased: (sustainerId: string) =>
    new DomainError('SUSTAINER.ERASED', 'This sustainer was erased; nothing more can be recorded for them.', 409, { sustainerId }),
  goodsValueInvalid: () =>
    new DomainError('DONATION.GOODS_VALUE_INVALID', 'The value of goods or services given in return must be from 0 to the amount.', 422),
  methodInvalid: (methods: readonly string[]) => new DomainError('DONATION.METHOD_INVALID', `method must be one of ${methods.join(', ')}.`, 400),
  pledgeNotFound: (pledgeId: string) => new DomainError('PLEDGE.NOT_FOUND', `No pledge ${pledgeId}.`, 404, { pledgeId }),
  pledgeOfAnotherSustainer: (pledgeId: string) =>
    new DomainError('DONATION.PLEDGE_OF_ANOTHER_SUSTAINER', 'The pledge belongs to another sustainer.', 422, { pledgeId }),
  pledgeEnded: (status: 'cancelled' | 'written-off', pledgeId: string) =>
    new DomainError(status === 'cancelled' ? 'PLEDGE.CANCELLED' : 'PLEDGE.WRITTEN_OFF', `The pledge is ${status}.`, 409, { pledgeId }),
  currencyMismatch: (pledgeCurrency: string, currency: string) =>
    new DomainError('DONATION.CURRENCY_MISMATCH', `The pledge is in ${pledgeCurrency}, not ${currency}.`, 422, { pledgeCurrency, currency }),
};
