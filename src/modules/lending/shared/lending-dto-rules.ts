import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { IsBusinessDay, IsCleanText, OptionalField } from '../../../http/dto-rules';
import { PageQueryDto } from '../../../http/query.dto';

/**
 * The property rules of the lending routes' request bodies and query strings, which each use
 * case's DTO is written in. Every string is clean text (stored and hashed exactly as given), every
 * date a business day within the supported range, every amount a safe whole number; the lengths
 * are the event catalogue's (lending.events.ts).
 */

/** A required line of clean text of at most `max` characters. */
export function Text(max: number, example?: string): PropertyDecorator {
  return applyDecorators(ApiProperty({ maxLength: max, ...(example ? { example } : {}) }), IsCleanText(), Length(1, max));
}

/** An optional line of clean text. */
export function OptionalText(max: number, description?: string): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ maxLength: max, ...(description ? { description } : {}) }), OptionalField(), IsCleanText(), Length(1, max));
}

/** A required business day (YYYY-MM-DD). */
export function Day(example: string, description?: string): PropertyDecorator {
  return applyDecorators(ApiProperty({ type: 'string', format: 'date', example, ...(description ? { description } : {}) }), IsBusinessDay());
}

/** An optional business day: a fact recorded after the fact (default today). */
export function OptionalDay(description: string): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ type: 'string', format: 'date', description }), OptionalField(), IsBusinessDay());
}

export function Minor(description: string, minimum = 1): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'integer', minimum, maximum: Number.MAX_SAFE_INTEGER, description }),
    IsInt({ message: '$property must be a whole number of minor units' }),
    Min(minimum),
    Max(Number.MAX_SAFE_INTEGER),
  );
}

export function Currency(): PropertyDecorator {
  return applyDecorators(ApiProperty({ example: 'USD' }), Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' }));
}

export function Uuid(description?: string): PropertyDecorator {
  return applyDecorators(ApiProperty({ format: 'uuid', ...(description ? { description } : {}) }), IsUUID());
}

export function OptionalUuid(description?: string): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ format: 'uuid', ...(description ? { description } : {}) }), OptionalField(), IsUUID());
}

/** `asOf` on a query: a business day (default today). */
export function AsOfParam(description = 'As of this business day (YYYY-MM-DD); default today.'): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ type: 'string', format: 'date', description, example: '2027-01-22' }), OptionalField(), IsBusinessDay());
}

/** A query enum. */
export function OptionalEnum(values: readonly string[], description?: string): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ enum: [...values], ...(description ? { description } : {}) }), OptionalField(), IsIn(values));
}

/** A listing of a cooperative's figures as of a day. */
export class AsOfCooperativeQueryDto extends PageQueryDto {
  @AsOfParam() asOf?: string;
  @OptionalUuid('Only this cooperative\'s.') cooperativeId?: string;
}
