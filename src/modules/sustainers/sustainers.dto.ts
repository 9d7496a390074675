import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  ValidationOptions,
  isEmail,
} from 'class-validator';
import { IsBusinessDay, IsBusinessInstant, IsCleanText, ToInteger, OptionalField } from '../../http/dto-rules';
import { AsOfQueryDto, PageQueryDto, PositionQueryDto } from '../../http/query.dto';
import { MAX_BUSINESS_DAY, MIN_BUSINESS_DAY } from '../../shared/business-date';
import { isCleanText } from '../../shared/text';
import { INTERVALS, Interval } from '../../shared/schedule';
import { DONATION_METHODS, DonationMethod } from '../funds/movement/movement.decider';

/**
 * Requests of the sustainers module. Every rule about the shape of a field lives here and is
 * answered 400 `REQUEST.INVALID` naming the field; the deciders keep only the rules that need
 * the ledger's state (a known sustainer, an open fund, a date after the last change).
 */

const MAX_MINOR = Number.MAX_SAFE_INTEGER;
const MIN_YEAR = Number(MIN_BUSINESS_DAY.slice(0, 4));
const MAX_YEAR = Number(MAX_BUSINESS_DAY.slice(0, 4));
const CURRENCY = /^[A-Z]{3}$/;
const CURRENCY_MESSAGE = { message: 'currency must be an ISO 4217 code such as USD' };

/** Two fields that exclude each other: this one must be absent when `other` is given. */
function NotWith(other: string, options?: ValidationOptions): PropertyDecorator {
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
function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
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

export class RegisterSustainerDto {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'Sealed with the sustainer\'s own key; never stored in clear.', example: 'Ada Example' })
  @IsCleanText()
  @Length(1, 200)
  displayName!: string;

  @ApiPropertyOptional({ minLength: 3, maxLength: 254, example: 'ada@example.org' })
  @OptionalField()
  @IsCleanText()
  @IsEmailAddress()
  @Length(3, 254)
  email?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 500, description: 'May span several lines.', example: '1 Main St\nSpringfield' })
  @OptionalField()
  @IsCleanText({ multiline: true })
  @Length(1, 500)
  postalAddress?: string;

  @ApiProperty({ description: 'Anonymous: the amounts count in every total; the name is shown only to stewards and the sustainer.' })
  @IsBoolean()
  anonymous!: boolean;
}

export class MakePledgeDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() sustainerId!: string;
  @ApiProperty({ format: 'uuid', description: 'The designated fund.' }) @IsUUID() fundId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_MINOR, description: 'Per instalment, in minor units.', example: 2500 })
  @IsInt()
  @Min(1)
  @Max(MAX_MINOR)
  amountMinor!: number;

  @ApiProperty({ example: 'USD', description: 'The fund\'s currency.' }) @Matches(CURRENCY, CURRENCY_MESSAGE) currency!: string;
  @ApiProperty({ enum: INTERVALS }) @IsIn(INTERVALS) interval!: Interval;
  @ApiProperty({ format: 'date', example: '2028-01-31', description: 'First due day (YYYY-MM-DD); not in a closed period.' }) @IsBusinessDay() startDate!: string;

  @ApiPropertyOptional({ format: 'date', example: '2028-12-31', description: 'Last day an instalment may fall due (inclusive); not with `instalments`.' })
  @OptionalField()
  @IsBusinessDay()
  endDate?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10_000, description: 'Or a number of instalments; not with `endDate`.' })
  @OptionalField()
  @IsInt()
  @Min(1)
  @Max(10_000)
  @NotWith('endDate')
  instalments?: number;
}

/** Every change takes effect from a business day, on or after the last change, in an open period. */
class PledgeFromDto {
  @ApiProperty({ format: 'date', description: 'The business day the change takes effect (YYYY-MM-DD), not in a closed period.', example: '2028-06-01' })
  @IsBusinessDay()
  from!: string;
}

export class ResumePledgeDto extends PledgeFromDto {}

export class PausePledgeDto extends PledgeFromDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 500, example: 'travelling' })
  @OptionalField()
  @IsCleanText()
  @Length(1, 500)
  reason?: string;
}

export class AmendPledgeDto extends PledgeFromDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_MINOR, description: 'The new amount per instalment.' })
  @IsInt()
  @Min(1)
  @Max(MAX_MINOR)
  amountMinor!: number;

  @ApiPropertyOptional({ enum: INTERVALS, description: 'Defaults to the current interval.' })
  @OptionalField()
  @IsIn(INTERVALS)
  interval?: Interval;
}

/** Cancellation and write-off: a reason is required (it is what the record is for). */
export class EndPledgeDto extends PledgeFromDto {
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'moved away' })
  @IsCleanText()
  @Length(1, 500)
  reason!: string;
}

export class RecordDonationDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() sustainerId!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The pledge this gift fulfils.' }) @OptionalField() @IsUUID() pledgeId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required without a `pledgeId`; defaults to the pledge\'s designated fund.' })
  @ValidateIf((o: RecordDonationDto) => o.pledgeId === undefined || o.fundId !== undefined)
  @IsDefined({ message: 'fundId is required when no pledgeId is given' })
  @IsUUID()
  fundId?: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_MINOR, example: 2500 })
  @IsInt()
  @Min(1)
  @Max(MAX_MINOR)
  amountMinor!: number;

  @ApiProperty({ example: 'USD', description: 'The fund\'s (and the pledge\'s) currency.' }) @Matches(CURRENCY, CURRENCY_MESSAGE) currency!: string;
  @ApiProperty({ enum: DONATION_METHODS }) @IsIn(DONATION_METHODS) method!: DonationMethod;

  @ApiProperty({ description: 'When the money arrived (YYYY-MM-DD or an ISO 8601 instant), in an open period; receipts are dated by it.', example: '2028-01-31' })
  @IsBusinessInstant()
  effectiveAt!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_MINOR, description: 'Fair value of goods or services given in return, minor units (at most the amount).' })
  @OptionalField()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  goodsServicesMinor?: number;
}

export class RefundDonationDto {
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'card charged back' })
  @IsCleanText()
  @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({ description: 'When the refund is dated (YYYY-MM-DD or an ISO 8601 instant); default now. In an open period.' })
  @OptionalField()
  @IsBusinessInstant()
  effectiveAt?: string;
}

// ---- queries ----

/** A listing whose cursor is the id of the last item of the previous page. */
class IdPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Cursor: the `next` of the previous page.' })
  @OptionalField()
  @IsUUID()
  declare after?: string;
}

export class ListSustainersQueryDto extends IdPageQueryDto {}

export class StatementQueryDto extends PositionQueryDto {
  @ApiProperty({ type: 'integer', minimum: MIN_YEAR, maximum: MAX_YEAR, example: 2028, description: 'The calendar year.' })
  @ToInteger()
  @IsInt()
  @Min(MIN_YEAR)
  @Max(MAX_YEAR)
  year!: number;
}

export class FundTotalsQueryDto extends StatementQueryDto {
  @ApiPropertyOptional({ enum: ['month', 'quarter', 'year'], default: 'month' })
  @OptionalField()
  @IsIn(['month', 'quarter', 'year'])
  by?: 'month' | 'quarter' | 'year';
}

export class MyDonationsQueryDto extends IdPageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: MIN_YEAR, maximum: MAX_YEAR, example: 2028, description: 'Gifts received in this calendar year.' })
  @OptionalField()
  @ToInteger()
  @IsInt()
  @Min(MIN_YEAR)
  @Max(MAX_YEAR)
  year?: number;
}

export class ListDonationsQueryDto extends MyDonationsQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @OptionalField() @IsUUID() sustainerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @OptionalField() @IsUUID() fundId?: string;
}

export class MyPledgesQueryDto extends IntersectionType(IdPageQueryDto, AsOfQueryDto) {}

export class ListPledgesQueryDto extends MyPledgesQueryDto {
  @ApiProperty({ format: 'uuid', description: 'Whose pledges; a sustainer token may ask only for its own.' })
  @IsUUID()
  sustainerId!: string;
}

export { AsOfQueryDto, PositionQueryDto };
