import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min, ValidateBy, ValidateIf, ValidationOptions, buildMessage } from 'class-validator';
import { BUSINESS_DAY_RANGE, isBusinessDay, isBusinessInstant } from '../shared/business-date';
import { TextRules, textProblem } from '../shared/text';

/**
 * Field rules every DTO shares, so a rule is met with the same code and message wherever it
 * applies (a business date in a body and in a query string are one rule).
 */

/**
 * An optional field: it may be left out, but when present it must pass its rules. Unlike
 * class-validator's `IsOptional`, an explicit `null` is not taken for "left out": `null` is no
 * date, text or amount, and is refused as the bad input it is, never passed on to a decider.
 * Every DTO uses this instead of `IsOptional`.
 */
export function OptionalField(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/** A business day, `YYYY-MM-DD`, within the range the ledger supports. */
export function IsBusinessDay(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBusinessDay',
      validator: {
        validate: (value) => isBusinessDay(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a calendar date (YYYY-MM-DD) from ${BUSINESS_DAY_RANGE}`, options),
      },
    },
    options,
  );
}

/** An ISO 8601 day or instant (`2026-03-01`, `2026-03-01T10:00:00Z`) within the supported range. */
export function IsBusinessInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBusinessInstant',
      validator: {
        validate: (value) => isBusinessInstant(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an ISO 8601 date or date-time with an offset, from ${BUSINESS_DAY_RANGE}`,
          options,
        ),
      },
    },
    options,
  );
}

/**
 * A string that is stored and hashed as given: a string, well-formed Unicode, no control
 * characters (tabs and line breaks only when `multiline`), no surrounding whitespace.
 */
export function IsCleanText(rules: TextRules = {}, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCleanText',
      validator: {
        validate: (value) => typeof value === 'string' && textProblem(value, rules) === undefined,
        defaultMessage: (args) =>
          typeof args?.value === 'string'
            ? `${args.property} ${textProblem(args.value, rules) ?? 'is not clean text'}`
            : `${args?.property} must be a string`,
      },
    },
    options,
  );
}

/**
 * Query strings arrive as text. A whole number written plainly becomes a number; anything else
 * (`1e3`, ` 5`, `0x10`, a repeated parameter) stays as it came and fails `IsInt`, never
 * silently coerced.
 */
export function ToInteger(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value));
}

/** Query strings `true`/`false` become booleans; anything else stays and fails `IsBoolean`. */
export function ToBoolean(): PropertyDecorator {
  return Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));
}

/** `minPosition`: wait until the read models include this global log position (bounded). */
export function MinPositionParam(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'Wait (bounded) until the read models include this log position, e.g. a `Ledger-Position` a command answered.',
    }),
    OptionalField(),
    ToInteger(),
    IsInt(),
    Min(0),
    Max(Number.MAX_SAFE_INTEGER),
  );
}
