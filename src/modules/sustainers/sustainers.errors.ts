import { DomainError, NotFoundError } from '../../shared/domain-error';

/**
 * The codes the sustainers use cases answer, with their HTTP status, thrown by name. The
 * deciders (sustainer/, pledge/) still throw their own rejections inline: the architecture rule
 * lets a decider import only other domain files and the pure shared helpers, which this file is
 * not. A code thrown in both places (PLEDGE.NOT_FOUND, DONATION.CURRENCY_MISMATCH) keeps the
 * same status in both.
 */
export const SustainerErrors = {
  /** An unknown sustainer, or one the reader may not see: the same answer, so existence does not leak. */
  notFound: (sustainerId: string) => new NotFoundError('SUSTAINER.NOT_FOUND', `No sustainer ${sustainerId}.`, { sustainerId }),
  /** A `/v1/me` route called with a sustainer token that names no sustainer. */
  tokenNotBound: () => new NotFoundError('SUSTAINER.NOT_FOUND', 'This token is not bound to a sustainer.'),
  /** Compared with, never thrown here: the sustainer decider refuses a second erasure with it. */
  ERASED: 'SUSTAINER.ERASED',
} as const;

export const PledgeErrors = {
  notFound: (pledgeId: string) => new NotFoundError('PLEDGE.NOT_FOUND', `No pledge ${pledgeId}.`, { pledgeId }),
} as const;

export const DonationErrors = {
  notFound: (donationId: string) => new NotFoundError('DONATION.NOT_FOUND', `No donation ${donationId}.`, { donationId }),
  /** The fund a gift goes to holds another currency than the gift. */
  currencyMismatch: (fund: { fundId: string; code: string; currency: string }, currency: string) => {
    const message = `Fund ${fund.code} holds ${fund.currency}, not ${currency}.`;
    return new DomainError('DONATION.CURRENCY_MISMATCH', message, 422, {
      fundId: fund.fundId,
      fundCurrency: fund.currency,
      currency,
      errors: [{ field: 'currency', messages: [message] }],
    });
  },
  /** A refund dated before the money arrived would show a gift refunded before it was received. */
  refundBeforeGift: (receivedOn: string) =>
    new DomainError('DONATION.REFUND_BEFORE_GIFT', `The gift was received on ${receivedOn}; a refund cannot be dated before it.`, 422, {
      errors: [{ field: 'effectiveAt', messages: [`effectiveAt must be on or after ${receivedOn}, the day the gift was received`] }],
    }),
} as const;

/** Codes of other modules that these use cases answer themselves, with the same status as there. */
export const ForeignErrors = {
  fundNotFound: (fundId: string) => new NotFoundError('FUND.NOT_FOUND', `No fund ${fundId}.`, { fundId }),
} as const;
