import { DomainError } from '../../../shared/domain-error';
import { ApiTokenCommand, ApiTokenEvent, apiTokenDecider } from './api-token.decider';

const now = '2026-01-01T00:00:00.000Z';
const issue: ApiTokenCommand = { type: 'IssueApiToken', tokenId: 't1', name: 'alice', role: 'steward', tokenHash: 'h', now };

function given(events: ApiTokenEvent[]) {
  return events.reduce(apiTokenDecider.evolve, apiTokenDecider.initialState());
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).code;
  }
  return undefined;
}

describe('api token decider', () => {
  it('issues a token once', () => {
    const events = apiTokenDecider.decide(issue, given([]));
    expect(events).toEqual([
      { type: 'ApiTokenIssued', data: { tokenId: 't1', name: 'alice', role: 'steward', tokenHash: 'h', issuedAt: now } },
    ]);
    expect(codeOf(() => apiTokenDecider.decide(issue, given(events)))).toBe('TOKEN.ALREADY_EXISTS');
  });

  it('binds sustainer and cooperative tokens to a subject, and only those', () => {
    expect(codeOf(() => apiTokenDecider.decide({ ...issue, role: 'sustainer' }, given([])))).toBe('TOKEN.SUBJECT_REQUIRED');
    expect(codeOf(() => apiTokenDecider.decide({ ...issue, subject: 's1' }, given([])))).toBe('TOKEN.SUBJECT_NOT_ALLOWED');
    const [event] = apiTokenDecider.decide({ ...issue, role: 'cooperative', subject: 'c1', subjectStatus: 'active' }, given([]));
    expect(event.data).toMatchObject({ role: 'cooperative', subject: 'c1' });
  });

  it('binds a token only to a subject that exists and was not erased', () => {
    const coop: ApiTokenCommand = { ...issue, role: 'cooperative', subject: 'c1' };
    expect(codeOf(() => apiTokenDecider.decide({ ...coop, subjectStatus: 'unknown' }, given([])))).toBe('TOKEN.SUBJECT_NOT_FOUND');
    // A caller that did not look the subject up is refused too: the rule fails closed.
    expect(codeOf(() => apiTokenDecider.decide(coop, given([])))).toBe('TOKEN.SUBJECT_NOT_FOUND');
    const sustainer: ApiTokenCommand = { ...issue, role: 'sustainer', subject: 's1' };
    expect(codeOf(() => apiTokenDecider.decide({ ...sustainer, subjectStatus: 'erased' }, given([])))).toBe('TOKEN.SUBJECT_ERASED');
    expect(apiTokenDecider.decide({ ...sustainer, subjectStatus: 'active' }, given([]))[0].type).toBe('ApiTokenIssued');
  });

  it('revokes an active token once, and refuses unknown ones', () => {
    const revoke: ApiTokenCommand = { type: 'RevokeApiToken', tokenId: 't1', reason: 'left', now };
    expect(codeOf(() => apiTokenDecider.decide(revoke, given([])))).toBe('TOKEN.NOT_FOUND');
    const issued = apiTokenDecider.decide(issue, given([]));
    const revoked = apiTokenDecider.decide(revoke, given(issued));
    expect(revoked).toEqual([{ type: 'ApiTokenRevoked', data: { tokenId: 't1', reason: 'left', revokedAt: now } }]);
    expect(codeOf(() => apiTokenDecider.decide(revoke, given([...issued, ...revoked])))).toBe('TOKEN.ALREADY_REVOKED');
  });
});
