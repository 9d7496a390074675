import { DomainError } from '../../../shared/domain-error';
import { SignInLinkCommand, SignInLinkEvent, signInLinkDecider as d } from './sign-in-link.decider';

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);
const issue = (over: Partial<Extract<SignInLinkCommand, { type: 'IssueSignInLink' }>> = {}): SignInLinkCommand => ({
  type: 'IssueSignInLink', linkId: 'l1', role: 'sustainer', subject: 's1', subjectStatus: 'active', tokenHash: H1,
  expiresAt: '2026-10-01T11:00:00.000Z', by: 'token:x', now: '2026-10-01T10:00:00.000Z', ...over,
});
const redeem = (now = '2026-10-01T10:30:00.000Z', subjectStatus: 'active' | 'erased' = 'active'): SignInLinkCommand => ({
  type: 'RedeemSignInLink', subjectStatus, sessionHash: H2, sessionExpiresAt: '2026-10-01T22:30:00.000Z', now,
});
const fold = (events: SignInLinkEvent[]) => events.reduce(d.evolve, d.initialState());
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'no error';
};

describe('sign-in link decider', () => {
  it('issues a link for an existing subject, and refuses unknown and erased ones', () => {
    const [issued] = d.decide(issue(), d.initialState());
    expect(issued).toMatchObject({ type: 'SignInLinkIssued', data: { linkId: 'l1', role: 'sustainer', subject: 's1', tokenHash: H1 } });
    expect(codeOf(() => d.decide(issue({ subjectStatus: 'unknown' }), d.initialState()))).toBe('SUSTAINER.NOT_FOUND');
    expect(codeOf(() => d.decide(issue({ role: 'cooperative', subjectStatus: 'unknown' }), d.initialState()))).toBe('COOPERATIVE.NOT_FOUND');
    expect(codeOf(() => d.decide(issue({ subjectStatus: 'erased' }), d.initialState()))).toBe('SUSTAINER.ERASED');
    expect(codeOf(() => d.decide(issue(), fold([issued])))).toBe('SIGN_IN.LINK_EXISTS');
  });

  it('redeems a link once, before it expires, while its person is not erased', () => {
    const issued = d.decide(issue(), d.initialState());
    const [redeemed] = d.decide(redeem(), fold(issued));
    expect(redeemed).toMatchObject({ type: 'SignInLinkRedeemed', data: { linkId: 'l1', sessionHash: H2 } });
    expect(codeOf(() => d.decide(redeem(), fold([...issued, redeemed])))).toBe('SIGN_IN.LINK_INVALID');
    expect(codeOf(() => d.decide(redeem('2026-10-01T11:00:00.000Z'), fold(issued)))).toBe('SIGN_IN.LINK_INVALID');
    expect(codeOf(() => d.decide(redeem(undefined, 'erased'), fold(issued)))).toBe('SIGN_IN.LINK_INVALID');
    expect(codeOf(() => d.decide(redeem(), d.initialState()))).toBe('SIGN_IN.LINK_INVALID');
  });

  it('ends a session once', () => {
    const events = d.decide(issue(), d.initialState());
    events.push(...d.decide(redeem(), fold(events)));
    const [ended] = d.decide({ type: 'EndSignInSession', now: '2026-10-01T12:00:00.000Z' }, fold(events));
    expect(ended).toMatchObject({ type: 'SignInSessionEnded', data: { reason: 'signed-out' } });
    expect(codeOf(() => d.decide({ type: 'EndSignInSession', now: '2026-10-01T12:00:00.000Z' }, fold([...events, ended])))).toBe('SIGN_IN.SESSION_ENDED');
    expect(codeOf(() => d.decide(redeem(), fold([...events, ended])))).toBe('SIGN_IN.LINK_INVALID');
  });
});
