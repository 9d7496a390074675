import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import { DEFAULT_SESSION_HOURS, DEFAULT_SIGN_IN_LINK_MINUTES, type LedgerConfig } from '../../config';
import { ReadModelDatabase } from '../../projections/read-model-database';
import { sha256Hex } from '../../shared/canonical-json';
import { Clock } from '../../shared/clock';
import type { Actor } from '../../shared/decider';
import { PageErrors } from './pages.errors';
import type { LinkRole } from './sign-in-link/sign-in-link.decider';
import { linkBySessionHash, linkByTokenHash, type SignInLinkRow } from './sign-in-link/sign-in-links.projection';

const LINK_PREFIX = 'msl_';
/** 32 random bytes, base64url: 43 characters. */
const SECRET_LENGTH = 43;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A signed-in person, as the pages need them. */
export interface PageSession {
  readonly linkId: string;
  readonly role: LinkRole;
  readonly subject: string;
  readonly expiresAt: string;
  /** The synchronizer token every form of this session carries. */
  readonly csrfToken: string;
  /** The actor the pages dispatch queries and commands as: the same rules as the person's API token. */
  readonly actor: Actor & { readonly role: LinkRole; readonly subject: string };
}

export const newLinkSecret = (): string => LINK_PREFIX + randomBytes(32).toString('base64url');
export const newSessionSecret = (): string => randomBytes(32).toString('base64url');
export const looksLikeLinkSecret = (value: string): boolean => value.startsWith(LINK_PREFIX) && SECRET_PATTERN.test(value.slice(LINK_PREFIX.length));
export const hashSecret = (secret: string): string => sha256Hex(secret);

/** The CSRF token of a session: an HMAC keyed by the session id, so only a holder of the (HttpOnly) cookie's page can know it. */
export function csrfTokenFor(sessionSecret: string): string {
  return createHmac('sha256', sessionSecret).update('mutual-aid-ledger csrf v1').digest('base64url');
}

export function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** `a=b; c=d` → a map; the first occurrence of a name wins (a cookie set for a narrower path comes first). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/**
 * Sign-in links and page sessions: the cookie (HttpOnly, SameSite=Lax, Path=/, Secure and named
 * with the `__Host-` prefix when served over TLS or behind an https LEDGER_PUBLIC_ORIGIN), the
 * lookup of a session by the hash of its id, and CSRF tokens. Secrets are never logged.
 */
@Injectable()
export class Sessions {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  get linkLifetimeMs(): number {
    return (this.config.signInLinkMinutes ?? DEFAULT_SIGN_IN_LINK_MINUTES) * 60_000;
  }

  get sessionLifetimeMs(): number {
    return (this.config.sessionHours ?? DEFAULT_SESSION_HOURS) * 3_600_000;
  }

  /** Where a person opens the link: the public origin, or this service on localhost. */
  linkUrl(secret: string): string {
    const origin = this.config.publicOrigin ?? `http://localhost:${this.config.port}`;
    return `${origin}/sign-in?token=${encodeURIComponent(secret)}`;
  }

  secure(request: FastifyRequest): boolean {
    return request.protocol === 'https' || (this.config.publicOrigin?.startsWith('https:') ?? false);
  }

  cookieName(request: FastifyRequest, base: 'session' | 'signin'): string {
    return this.secure(request) ? `__Host-mal_${base}` : `mal_${base}`;
  }

  private setCookie(request: FastifyRequest, reply: FastifyReply, base: 'session' | 'signin', value: string, maxAgeSeconds: number): void {
    const attributes = [`${this.cookieName(request, base)}=${value}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax'];
    if (this.secure(request)) attributes.push('Secure');
    // Fastify appends each set-cookie value to those already set (it never replaces them).
    void reply.header('set-cookie', attributes.join('; '));
  }

  startSession(request: FastifyRequest, reply: FastifyReply, sessionSecret: string): void {
    this.setCookie(request, reply, 'session', sessionSecret, Math.floor(this.sessionLifetimeMs / 1000));
    this.setCookie(request, reply, 'signin', '', 0);
  }

  clearSession(request: FastifyRequest, reply: FastifyReply): void {
    this.setCookie(request, reply, 'session', '', 0);
  }

  /** The pre-session CSRF value of the sign-in form (double submit: a cookie and the same value in the form). */
  signInCsrf(request: FastifyRequest, reply: FastifyReply): string {
    const value = randomBytes(24).toString('base64url');
    this.setCookie(request, reply, 'signin', value, Math.floor(this.linkLifetimeMs / 1000));
    return value;
  }

  checkSignInCsrf(request: FastifyRequest, given: unknown): void {
    const cookie = parseCookies(request.headers.cookie).get(this.cookieName(request, 'signin'));
    if (!cookie || !sameToken(given, cookie)) throw PageErrors.csrfInvalid();
  }

  /** The link a secret opens, if it may still be used (not redeemed, not expired, its person not erased). */
  usableLink(secret: string): SignInLinkRow | undefined {
    if (!looksLikeLinkSecret(secret)) return undefined;
    const row = linkByTokenHash(this.readModels.db, hashSecret(secret));
    if (!row || row.redeemed_at !== null || row.erased || row.expires_at <= this.clock.now().toISOString()) return undefined;
    return row;
  }

  /** The request's session, if its cookie names one that is current. */
  current(request: FastifyRequest): PageSession | undefined {
    const secret = parseCookies(request.headers.cookie).get(this.cookieName(request, 'session'));
    if (!secret || secret.length !== SECRET_LENGTH || !SECRET_PATTERN.test(secret)) return undefined;
    const row = linkBySessionHash(this.readModels.db, hashSecret(secret));
    if (!row || row.ended_at !== null || row.erased || row.session_expires_at === null) return undefined;
    if (row.session_expires_at <= this.clock.now().toISOString()) return undefined;
    return {
      linkId: row.link_id,
      role: row.role,
      subject: row.subject,
      expiresAt: row.session_expires_at,
      csrfToken: csrfTokenFor(secret),
      actor: { id: `session:${row.link_id}`, role: row.role, subject: row.subject },
    };
  }

  /** Refuses a state-changing form whose `_csrf` is not the session's token. */
  checkCsrf(session: PageSession, given: unknown): void {
    if (!sameToken(given, session.csrfToken)) throw PageErrors.csrfInvalid();
  }
}
