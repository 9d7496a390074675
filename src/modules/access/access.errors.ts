import { NotFoundError } from '../../shared/domain-error';

/** Codes the access routes answer beyond the decider's own (api-token.decider.ts). */
export const AccessErrors = {
  tokenNotFound: (tokenId: string) => new NotFoundError('TOKEN.NOT_FOUND', `No token ${tokenId}.`, { tokenId }),
};
