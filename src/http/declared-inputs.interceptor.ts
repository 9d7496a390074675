import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import type { FieldError } from './problem-details';
import { RequestValidationError } from './validation';

/** Which request inputs a handler declares through its parameter decorators. */
interface DeclaredInputs {
  readonly body: boolean;
  readonly query: boolean;
}

/**
 * A route takes only what its handler declares. A body field on a route without `@Body()`, or a
 * query parameter on one without `@Query()`, would otherwise be silently ignored, and a client
 * would believe it had an effect; both are refused like an unknown DTO property (400
 * REQUEST.INVALID naming each). Routes that declare a body or query are left to the
 * ValidationPipe, which refuses unknown properties itself. `{}` and no body at all are no body.
 * Global interceptors run after the guards, so a request without a token is still a 401.
 */
@Injectable()
export class DeclaredInputsInterceptor implements NestInterceptor {
  private readonly cache = new WeakMap<object, DeclaredInputs>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const declared = this.declaredInputs(context);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const errors: FieldError[] = [];
    if (!declared.body) {
      errors.push(...keysOf(request.body).map((key) => ({ field: key, messages: [`property ${key} should not exist (this route takes no body)`] })));
    }
    if (!declared.query) {
      errors.push(...keysOf(request.query).map((key) => ({ field: key, messages: [`query parameter ${key} is not taken by this route`] })));
    }
    if (errors.length > 0) throw new RequestValidationError(errors);
    return next.handle();
  }

  private declaredInputs(context: ExecutionContext): DeclaredInputs {
    const handler = context.getHandler();
    const known = this.cache.get(handler);
    if (known) return known;
    const args: Record<string, unknown> = Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {};
    const types = new Set(Object.keys(args).map((key) => Number(key.split(':')[0])));
    // A handler that takes the whole request may read anything from it.
    const whole = types.has(RouteParamtypes.REQUEST);
    const declared = {
      body: whole || types.has(RouteParamtypes.BODY) || types.has(RouteParamtypes.RAW_BODY),
      query: whole || types.has(RouteParamtypes.QUERY),
    };
    this.cache.set(handler, declared);
    return declared;
  }
}

function keysOf(value: unknown): string[] {
  return value !== null && typeof value === 'object' ? Object.keys(value) : [];
}
