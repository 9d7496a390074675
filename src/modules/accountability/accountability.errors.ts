import { NotFoundError } from '../../shared/domain-error';

/**
 * The codes the accountability routes answer. They reuse the sustainers' codes for the same
 * facts (an unknown or invisible donation or sustainer), so a client sees one code per rule.
 */
export const AccountabilityErrors = {
  /** An unknown donation, or one the reader may not see (another sustainer's): the same answer. */
  donationNotFound: (donationId: string) => new NotFoundError('DONATION.NOT_FOUND', `No donation ${donationId}.`, { donationId }),
  sustainerNotFound: (sustainerId: string) => new NotFoundError('SUSTAINER.NOT_FOUND', `No sustainer ${sustainerId}.`, { sustainerId }),
  tokenNotBound: () => new NotFoundError('SUSTAINER.NOT_FOUND', 'This token is not bound to a sustainer.'),
} as const;
