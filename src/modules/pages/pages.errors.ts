import { DomainError, NotFoundError } from '../../shared/domain-error';

/**
 * The codes of the sign-in links and the pages. A link that cannot be used answers one code
 * whatever the reason (unknown, used, expired, its person erased), so a guess learns nothing.
 */
export const PageErrors = {
  linkInvalid: () =>
    new NotFoundError('SIGN_IN.LINK_INVALID', 'This sign-in link cannot be used: it is unknown, was used already, has expired, or its person was erased. Ask a steward for a new one.'),
  /** Never reached: every link is issued under a fresh id. */
  linkExists: () => new DomainError('SIGN_IN.LINK_EXISTS', 'This link id is taken.', 409),
  sessionEnded: () => new DomainError('SIGN_IN.SESSION_ENDED', 'This session has already ended.', 409),
  csrfInvalid: () => new DomainError('SIGN_IN.CSRF_INVALID', 'The form is out of date or did not come from this site. Reload the page and try again.', 403),
  subjectNotFound: (role: 'sustainer' | 'cooperative', subject: string) =>
    role === 'sustainer'
      ? new NotFoundError('SUSTAINER.NOT_FOUND', `No sustainer ${subject}.`, { sustainerId: subject })
      : new NotFoundError('COOPERATIVE.NOT_FOUND', `No cooperative ${subject}.`, { cooperativeId: subject }),
  subjectErased: (subject: string) =>
    new DomainError('SUSTAINER.ERASED', `The sustainer ${subject} was erased; no sign-in link can be issued for them.`, 409, { sustainerId: subject }),
} as const;

/** Why a page cannot be shown (no session, or the session is over): answered as HTML, never as a problem document. */
export const SESSION_REQUIRED = 'SIGN_IN.SESSION_REQUIRED';
