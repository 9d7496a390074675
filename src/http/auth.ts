import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  Optional,
  SetMetadata,
  UnauthorizedException,
  applyDecorators,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EventStore } from '../event-store/event-store.port';
import { hashTokenSecret, looksLikeTokenSecret } from '../shared/token-secret';
import { ProjectionRunner } from '../projections/projection-runner';
import { Actor, Role } from '../shared/decider';
import { Clock } from '../shared/clock';
import { DomainError } from '../shared/domain-error';
import { ApiProblems } from './openapi';
import { AuthThrottle } from './auth-throttle';

const PUBLIC = 'ledger:public';
const ROLES = 'ledger:roles';
/** How long a request with a token not yet in the read model waits for the projections to catch up. */
const FRESH_TOKEN_WAIT_MS = 1000;

/** A route anyone may call without a token (health, documentation). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);

/**
 * The roles allowed on a route; any other authenticated role gets 403. The OpenAPI document
 * gets the bearer scheme, the 401 and 403 problem documents, and the roles as `x-roles`.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ROLES, roles), ApiBearerAuth(), ApiProblems(401, 403), ApiExtension('x-roles', roles));

export interface AuthenticatedRequest extends FastifyRequest {
  actor?: Actor;
}

/** A token as the guard needs it: who it is, and whether it was revoked or has an end. */
export interface KnownToken {
  readonly tokenId: string;
  readonly role: Role;
  readonly subject?: string;
  readonly revokedAt?: string;
  readonly expiresAt?: string;
}

/**
 * Where the guard looks tokens up: the access module's read model, wired in by the composition
 * root (src/app.ts), so the HTTP layer never imports a module.
 */
export abstract class TokenDirectory {
  /** The token (active, revoked or expired) with this secret's SHA-256, if any was issued. */
  abstract find(tokenHash: string): KnownToken | undefined;
}

/** 429 for an address that failed to authenticate too often; `Retry-After` goes with it. */
export class TooManyFailuresError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('AUTH.TOO_MANY_FAILURES', `Too many failed authentications from this address; try again in ${retryAfterSeconds} s.`, 429, {
      retryAfterSeconds,
    });
  }
}

/**
 * Every route needs a bearer token unless marked @Public(), and a role listed by @Roles().
 * A route without @Roles() is refused to everyone: forgetting it fails closed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenDirectory,
    private readonly projections: ProjectionRunner,
    private readonly store: EventStore,
    private readonly clock: Clock,
    @Optional() private readonly throttle?: AuthThrottle,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    // No credentials at all guess nothing: 401, not counted.
    if (header === undefined || header === '') throw new UnauthorizedException('A bearer token is required.');
    const wait = await this.throttle?.blockedFor(request);
    if (wait !== undefined) {
      void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(wait));
      throw new TooManyFailuresError(wait);
    }
    const match = /^Bearer (\S+)$/i.exec(header);
    if (!match || !looksLikeTokenSecret(match[1])) {
      await this.throttle?.failed(request);
      throw new UnauthorizedException('A bearer token is required.');
    }
    const token = await this.findToken(hashTokenSecret(match[1]));
    if (!token) {
      await this.throttle?.failed(request);
      throw new UnauthorizedException('The token is unknown or revoked.');
    }
    const refusal = this.refusalOf(token);
    if (refusal) {
      // Every use of a revoked or expired token is in the log: its id and why, never its secret.
      this.logger.warn(`token ${token.tokenId} refused: ${refusal.log}; ${request.method} ${request.routeOptions?.url ?? '(no route)'} request ${String(request.id)}`);
      await this.throttle?.failed(request);
      throw new UnauthorizedException(refusal.answer);
    }
    const actor: Actor = { id: `token:${token.tokenId}`, role: token.role, subject: token.subject };
    request.actor = actor;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets) ?? [];
    if (!allowed.includes(token.role)) {
      throw new ForbiddenException(`This route is not open to the ${token.role} role.`);
    }
    return true;
  }

  /**
   * A token works as soon as `ledger tokens create` returns, though the service learns of it only
   * when its projections follow the log past it (the CLI is another process). So a well-formed
   * token that is not found yet waits once, bounded, for the projections to reach the store's
   * head, and is looked up again. When the projections are current this costs one head read, so
   * an unknown or revoked token is still refused at once.
   */
  private async findToken(tokenHash: string): Promise<KnownToken | undefined> {
    const found = this.tokens.find(tokenHash);
    if (found && !found.revokedAt) return found;
    // A token revoked or unknown to the read model may have been issued (or rotated in) since.
    await this.projections.waitFor(await this.store.headPosition(), FRESH_TOKEN_WAIT_MS);
    return this.tokens.find(tokenHash);
  }

  private refusalOf(token: KnownToken): { log: string; answer: string } | undefined {
    if (token.revokedAt) return { log: `revoked at ${token.revokedAt}`, answer: 'The token was revoked.' };
    if (token.expiresAt && Date.parse(token.expiresAt) <= this.clock.now().getTime()) {
      return { log: `expired at ${token.expiresAt}`, answer: 'The token has expired; ask a steward for a new one.' };
    }
    return undefined;
  }
}

/** The authenticated actor of the request. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new UnauthorizedException('A bearer token is required.');
  return actor;
});
