import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID, ValidateBy, ValidationOptions, isEmail } from 'class-validator';
import { OptionalField } from '../../http/dto-rules';
import { PageQueryDto } from '../../http/query.dto';
import { MAX_BUSINESS_DAY, MIN_BUSINESS_DAY } from '../../shared/business-date';
import { isCleanText } from '../../shared/text';

/**
 * Field rules shared by the sustainers requests. Every rule about the shape of a field lives in
 * a DTO and is answered 400 `REQUEST.INVALID` naming the field; the deciders keep only the rules
 * that need the ledger's state (a known sustainer, an open fund, a date after the last change).
 */

export const MAX_MINOR = Number.MAX_SAFE_INTEGER;
export const MIN_YEAR = Number(MIN_BUSINESS_DAY.slice(0, 4));
export const MAX_YEAR = Number(MAX_BUSINESS_DAY.slice(0, 4));
export const CURRENCY = /^[A-Z]{3}$/;
export const CURRENCY_MESSAGE = { message: 'currency must be an ISO 4217 code such as USD' };

/** Two fields that exclude each other: this one must be absent when `other` is given. */
export function NotWith(other: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notWith',
      constraints: [other],
      validator: {
        validate: (value, args) => value === undefined || (args?.object as Record<string, unknown>)[other] === undefined,
        defaultMessage: (args) => `give ${args?.property} or ${other}, not both`,
      },
    },
    options,
  );
}

/**
 * An email address. validator.js throws on malformed Unicode (a lone surrogate), so the address
 * is only parsed once it is clean text; IsCleanText names the malformed case itself.
 */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEmailAddress',
      validator: {
        validate: (value) => !isCleanText(value) || isEmail(value),
        defaultMessage: (args) => `${args?.property} must be an email address`,
      },
    },
    options,
  );
}

/** A listing whose cursor is the id of the last item of the previous page. */
export class IdPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Cursor: the `next` of the previous page.' })
  @OptionalField()
  @IsUUID()
  declare after?: string;
}
