import { isPageRoute } from './page-routes';
import { csrfTokenFor, hashSecret, looksLikeLinkSecret, newLinkSecret, newSessionSecret, parseCookies, sameToken } from './sessions';

describe('page sessions: secrets, cookies and CSRF', () => {
  it('makes 256-bit secrets and keeps only their hash', () => {
    const link = newLinkSecret();
    expect(looksLikeLinkSecret(link)).toBe(true);
    expect(looksLikeLinkSecret(link.slice(0, -1))).toBe(false);
    expect(looksLikeLinkSecret('mal_' + link.slice(4))).toBe(false);
    expect(newSessionSecret()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSessionSecret()).not.toBe(newSessionSecret());
    expect(hashSecret(link)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('derives a CSRF token per session and compares in constant time', () => {
    const a = newSessionSecret();
    const token = csrfTokenFor(a);
    expect(csrfTokenFor(a)).toBe(token);
    expect(csrfTokenFor(newSessionSecret())).not.toBe(token);
    expect(sameToken(token, token)).toBe(true);
    expect(sameToken(token.slice(1), token)).toBe(false);
    expect(sameToken(undefined, token)).toBe(false);
    expect(sameToken(['x'], token)).toBe(false);
  });

  it('reads cookies, the first of a name winning', () => {
    const c = parseCookies('mal_session=abc; other=1; mal_session=evil; broken; =x');
    expect(c.get('mal_session')).toBe('abc');
    expect(c.get('other')).toBe('1');
    expect(parseCookies(undefined).size).toBe(0);
  });

  it('knows which routes are pages (forms allowed) and which are the API', () => {
    for (const url of ['/', '/sign-in', '/sign-in?token=x', '/sign-out', '/my', '/my/reservations', '/my/gifts/x/acknowledgement.pdf']) expect(isPageRoute(url)).toBe(true);
    for (const url of ['/v1/funds', '/health', '/docs', '/mystery', '/sign-in/x']) expect(isPageRoute(url)).toBe(false);
  });
});
