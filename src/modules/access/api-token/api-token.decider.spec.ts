import { spec } from '../../../shared/testing/decider-specification';
import { ApiTokenCommand, apiTokenDecider } from './api-token.decider';

const token = spec(apiTokenDecider);
const now = '2026-01-01T00:00:00.000Z';
const issue: ApiTokenCommand = { type: 'IssueApiToken', tokenId: 't1', name: 'alice', role: 'steward', tokenHash: 'h', now };

describe('api token decider', () => {
  it('issues a token once', () => {
    const events = token.given([]).when(issue).then([
      { type: 'ApiTokenIssued', data: { tokenId: 't1', name: 'alice', role: 'steward', tokenHash: 'h', issuedAt: now } },
    ]);
    token.given(events).when(issue).thenThrows('TOKEN.ALREADY_EXISTS', 409);
  });

  it('binds sustainer and cooperative tokens to a subject, and only those', () => {
    token.given([]).when({ ...issue, role: 'sustainer' }).thenThrows('TOKEN.SUBJECT_REQUIRED');
    token.given([]).when({ ...issue, subject: 's1' }).thenThrows('TOKEN.SUBJECT_NOT_ALLOWED');
    const [event] = token.given([]).when({ ...issue, role: 'cooperative', subject: 'c1', subjectStatus: 'active' }).thenAccepts();
    expect(event.data).toMatchObject({ role: 'cooperative', subject: 'c1' });
  });

  it('binds a token only to a subject that exists and was not erased', () => {
    const coop: ApiTokenCommand = { ...issue, role: 'cooperative', subject: 'c1' };
    token.given([]).when({ ...coop, subjectStatus: 'unknown' }).thenThrows('TOKEN.SUBJECT_NOT_FOUND');
    // A caller that did not look the subject up is refused too: the rule fails closed.
    token.given([]).when(coop).thenThrows('TOKEN.SUBJECT_NOT_FOUND');
    const sustainer: ApiTokenCommand = { ...issue, role: 'sustainer', subject: 's1' };
    token.given([]).when({ ...sustainer, subjectStatus: 'erased' }).thenThrows('TOKEN.SUBJECT_ERASED');
    expect(token.given([]).when({ ...sustainer, subjectStatus: 'active' }).thenAccepts()[0].type).toBe('ApiTokenIssued');
  });

  it('revokes an active token once, and refuses unknown ones', () => {
    const revoke: ApiTokenCommand = { type: 'RevokeApiToken', tokenId: 't1', reason: 'left', now };
    token.given([]).when(revoke).thenThrows('TOKEN.NOT_FOUND', 404);
    const issued = token.history([issue]);
    const revoked = token.given(issued).when(revoke).then([{ type: 'ApiTokenRevoked', data: { tokenId: 't1', reason: 'left', revokedAt: now } }]);
    token.given([...issued, ...revoked]).when(revoke).thenThrows('TOKEN.ALREADY_REVOKED');
  });

  it('records an expiry in the future, at most ten years ahead, as a UTC instant', () => {
    const [event] = token.given([]).when({ ...issue, expiresAt: '2026-02-01' }).thenAccepts();
    expect(event.data).toMatchObject({ expiresAt: '2026-02-01T00:00:00.000Z' });
    token.given([]).when({ ...issue, expiresAt: now }).thenThrows('TOKEN.EXPIRY_INVALID', 400);
    token.given([]).when({ ...issue, expiresAt: '2025-12-31' }).thenThrows('TOKEN.EXPIRY_INVALID', 400);
    token.given([]).when({ ...issue, expiresAt: '2036-01-01T00:00:01Z' }).thenThrows('TOKEN.EXPIRY_INVALID', 400);
    expect(token.given([]).when({ ...issue, expiresAt: '2035-12-30' }).thenAccepts()).toHaveLength(1);
  });

  it('rotates an active token by revoking it for its replacement, and refuses unknown or revoked ones', () => {
    const rotate: ApiTokenCommand = { type: 'RotateApiToken', tokenId: 't1', replacementId: 't2', now };
    token.given([]).when(rotate).thenThrows('TOKEN.NOT_FOUND', 404);
    const issued = token.history([issue]);
    const revoked = token.given(issued).when(rotate).then([
      { type: 'ApiTokenRevoked', data: { tokenId: 't1', reason: 'rotated', revokedAt: now, replacedBy: 't2' } },
    ]);
    token.given([...issued, ...revoked]).when(rotate).thenThrows('TOKEN.ALREADY_REVOKED', 409);
  });
});
