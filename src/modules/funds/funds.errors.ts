import { ConflictError, DomainError, NotFoundError } from '../../shared/domain-error';

/**
 * The codes the funds module's handlers answer, with their HTTP status. The deciders' own
 * refusals (FUND.CLOSED, FUND.INSUFFICIENT_AVAILABLE, MOVEMENT.SELF_APPROVAL, …) are thrown where
 * they are decided, in `fund/fund.decider.ts` and `movement/movement.decider.ts`.
 */
export const FundErrors = {
  notFound: (fundId: string) => new NotFoundError('FUND.NOT_FOUND', `No fund ${fundId}.`, { fundId }),
  codeTaken: (code: string) => new ConflictError('FUND.CODE_TAKEN', `A fund with code ${code} already exists.`, { fundCode: code }),
};

export const MovementErrors = {
  /** `kind` names what was asked for: a transfer, a disbursement, or any movement. */
  notFound: (movementId: string, kind?: string) =>
    new NotFoundError('MOVEMENT.NOT_FOUND', `No ${kind ?? 'movement'} ${movementId}.`, { movementId }),
};

export const DonationErrors = {
  fundRequired: () => new DomainError('DONATION.FUND_REQUIRED', 'A donation without a pledge needs a fundId.', 400),
};
