import { ExecutionContext, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import { DomainError } from '../shared/domain-error';
import { Clock } from '../shared/clock';
import type { CommandContext } from '../commands/command-context';
import type { Actor } from '../shared/decider';
import type { AuthenticatedRequest } from './auth';

/** What a request says about itself apart from its payload; a handler adds the time. */
export interface RequestMeta {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string;
  readonly idempotencyKey?: string;
  readonly fingerprint: string;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

export const Meta = createParamDecorator((_: unknown, context: ExecutionContext): RequestMeta => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.actor) throw new UnauthorizedException('A bearer token is required.');
  const header = (name: string): string | undefined => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const idempotencyKey = header('idempotency-key');
  if (idempotencyKey !== undefined && !KEY_PATTERN.test(idempotencyKey)) {
    throw new DomainError('IDEMPOTENCY.KEY_INVALID', 'Idempotency-Key must be 1 to 200 visible ASCII characters.', 400);
  }
  const correlation = header('x-correlation-id');
  return {
    actor: request.actor,
    causationId: String(request.id),
    correlationId: correlation && KEY_PATTERN.test(correlation) ? correlation : String(request.id),
    idempotencyKey,
    fingerprint: sha256Hex(canonicalJson({ method: request.method, url: request.url, body: request.body ?? null })),
  };
});

export const IdempotencyKeyHeader = (): MethodDecorator =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and body: the first answer again, nothing written. Same key, other body: 422.',
  });

export function commandContext(meta: RequestMeta, clock: Clock): CommandContext {
  return { ...meta, now: clock.now() };
}

