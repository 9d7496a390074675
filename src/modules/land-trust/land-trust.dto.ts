import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsObject, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { IsBusinessInstant, OptionalField } from '../../http/dto-rules';

/** The request rules several land-trust use cases share; each use case's own body sits in its folder. */

const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;
export const IMPROVEMENT_STATUSES = ['planned', 'approved', 'completed', 'cancelled'] as const;
const MAX_FUNDING_LINES = 20;

/** A positive whole number of minor units within the safe integer range. */
export function AmountMinor(description: string): PropertyDecorator {
  return (target, key) => {
    ApiProperty({ description, type: 'integer', minimum: 1, maximum: MAX_AMOUNT, example: 25000 })(target, key);
    IsInt({ message: `${String(key)} must be a whole number of minor units` })(target, key);
    Min(1)(target, key);
    Max(MAX_AMOUNT, { message: `${String(key)} is beyond the safe integer range` })(target, key);
  };
}

export const CURRENCY = /^[A-Z]{3}$/;
export const BACK_DATED =
  'Business date (ISO 8601 day or instant) when recorded after the fact; defaults to now. Not in the future, not in a closed period.';

export class FundingLineDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() fundId!: string;
  @AmountMinor('Positive whole number of minor units.') amountMinor!: number;
}

/** Funding lines: 1 to 20 objects, each validated. */
export function FundingLines(description: string): PropertyDecorator {
  return (target, key) => {
    ApiProperty({ type: [FundingLineDto], description, minItems: 1, maxItems: MAX_FUNDING_LINES })(target, key);
    IsArray()(target, key);
    ArrayMinSize(1)(target, key);
    ArrayMaxSize(MAX_FUNDING_LINES)(target, key);
    IsObject({ each: true })(target, key);
    ValidateNested({ each: true })(target, key);
    Type(() => FundingLineDto)(target, key);
  };
}

/** The optional body of an approval (of a plan or of a budget increase): its business date when it is recorded after the fact. */
export class ApproveDto {
  @ApiPropertyOptional({ description: `${BACK_DATED} Not before what it approves; the holds count from this date.`, example: '2025-03-15' })
  @OptionalField()
  @IsBusinessInstant()
  effectiveAt?: string;
}
