import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  applyDecorators,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { findActiveTokenByHash } from '../modules/access/api-token/api-token.projection';
import { hashTokenSecret, looksLikeTokenSecret } from '../modules/access/token-secret';
import { ReadModelDatabase } from '../projections/read-model-database';
import { Actor, Role } from '../shared/decider';
import { ApiProblems } from './openapi';

const PUBLIC = 'ledger:public';
const ROLES = 'ledger:roles';

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

/**
 * Every route needs a bearer token unless marked @Public(), and a role listed by @Roles().
 * A route without @Roles() is refused to everyone: forgetting it fails closed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly readModels: ReadModelDatabase,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    if (!match || !looksLikeTokenSecret(match[1])) {
      throw new UnauthorizedException('A bearer token is required.');
    }
    const token = findActiveTokenByHash(this.readModels.db, hashTokenSecret(match[1]));
    if (!token) throw new UnauthorizedException('The token is unknown or revoked.');
    const actor: Actor = { id: `token:${token.token_id}`, role: token.role, subject: token.subject ?? undefined };
    request.actor = actor;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets) ?? [];
    if (!allowed.includes(token.role)) {
      throw new ForbiddenException(`This route is not open to the ${token.role} role.`);
    }
    return true;
  }
}

/** The authenticated actor of the request. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new UnauthorizedException('A bearer token is required.');
  return actor;
});
