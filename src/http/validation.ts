import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { FieldError } from './problem-details';

/** Thrown by the global ValidationPipe; the problem filter turns it into a 400 naming each field. */
export class RequestValidationError extends BadRequestException {
  constructor(readonly fieldErrors: readonly FieldError[]) {
    super('The request has invalid fields.');
  }
}

export function flattenValidationErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      out.push({ field, messages: Object.values(error.constraints) });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** Strict: unknown fields are refused, not silently dropped; payloads become DTO instances. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
  });
}

/** A path parameter that must be a UUID; otherwise a 400 naming the parameter, like a body field. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isUUID(value)) {
      throw new RequestValidationError([{ field: metadata.data ?? 'id', messages: [`${metadata.data ?? 'id'} must be a UUID`] }]);
    }
    return value;
  }
}
