import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { IsBusinessDay, IsBusinessInstant, IsCleanText, OptionalField } from '../../http/dto-rules';
import { AsOfQueryDto, PageQueryDto } from '../../http/query.dto';
import { MAX_BUSINESS_DAY, MIN_BUSINESS_DAY } from '../../shared/business-date';
import { INSPECTIONS, PHASES } from './improvement/improvement.decider';
import { PARCEL_ID_PATTERN } from './land-trust.events';
import { PROPERTY_STATUSES } from './property/property.decider';

const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;
const IMPROVEMENT_STATUSES = ['planned', 'approved', 'completed', 'cancelled'] as const;
const MAX_FUNDING_LINES = 20;

/** A positive whole number of minor units within the safe integer range. */
function AmountMinor(description: string): PropertyDecorator {
  return (target, key) => {
    ApiProperty({ description, type: 'integer', minimum: 1, maximum: MAX_AMOUNT, example: 25000 })(target, key);
    IsInt({ message: `${String(key)} must be a whole number of minor units` })(target, key);
    Min(1)(target, key);
    Max(MAX_AMOUNT, { message: `${String(key)} is beyond the safe integer range` })(target, key);
  };
}

const CURRENCY = /^[A-Z]{3}$/;
const BACK_DATED =
  'Business date (ISO 8601 day or instant) when recorded after the fact; defaults to now. Not in the future, not in a closed period.';

export class RegisterPropertyDto {
  @ApiProperty({ example: '12 Elm Street, Springfield', maxLength: 300 }) @IsCleanText() @Length(1, 300) address!: string;
  @ApiProperty({ example: 'APN-044-221-07', maxLength: 80, pattern: PARCEL_ID_PATTERN })
  @IsString()
  @Matches(new RegExp(PARCEL_ID_PATTERN), { message: 'parcelId is 1 to 80 letters, digits and . _ / -' })
  parcelId!: string;
  @ApiProperty({ example: '2024-05-01', format: 'date' }) @IsBusinessDay() acquiredOn!: string;
  @ApiProperty({ enum: PROPERTY_STATUSES }) @IsIn(PROPERTY_STATUSES) status!: (typeof PROPERTY_STATUSES)[number];
}

export class ChangePropertyStatusDto {
  @ApiProperty({ enum: PROPERTY_STATUSES }) @IsIn(PROPERTY_STATUSES) status!: (typeof PROPERTY_STATUSES)[number];
  @ApiPropertyOptional({ maxLength: 500 }) @OptionalField() @IsCleanText() @Length(1, 500) reason?: string;
}

export class GroundLeaseDto {
  @ApiProperty({ description: 'A pseudonymous household id (4 to 64 letters, digits, - or _), never a name.', example: 'hh-7f3a9c', maxLength: 64 })
  @IsCleanText()
  @Length(1, 64)
  householdId!: string;
  @ApiProperty({ example: '2026-01-01', format: 'date' }) @IsBusinessDay() startsOn!: string;
  @ApiProperty({ example: 99, type: 'integer', minimum: 1, maximum: 199 }) @IsInt() @Min(1) @Max(199) termYears!: number;
}

export class FundingLineDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() fundId!: string;
  @AmountMinor('Positive whole number of minor units.') amountMinor!: number;
}

/** Funding lines: 1 to 20 objects, each validated. */
function FundingLines(description: string): PropertyDecorator {
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

export class PlanImprovementDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() propertyId!: string;
  @ApiProperty({ maxLength: 500, description: 'May span several lines.' }) @IsCleanText({ multiline: true }) @Length(1, 500) description!: string;
  @ApiProperty({ enum: PHASES }) @IsIn(PHASES) phase!: (typeof PHASES)[number];
  @AmountMinor('Positive whole number of minor units.') estimateMinor!: number;
  @ApiProperty({ example: 'USD' }) @IsString() @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code such as USD' }) currency!: string;
  @FundingLines('Drawn in this order; together at least the estimate.') fundingLines!: FundingLineDto[];
  @ApiPropertyOptional({ description: BACK_DATED, example: '2025-03-01' }) @OptionalField() @IsBusinessInstant() effectiveAt?: string;
}

/** The optional body of an approval: its business date when it is recorded after the fact. */
export class ApproveDto {
  @ApiPropertyOptional({ description: `${BACK_DATED} Not before what it approves; the holds count from this date.`, example: '2025-03-15' })
  @OptionalField()
  @IsBusinessInstant()
  effectiveAt?: string;
}

export class BudgetIncreaseDto {
  @FundingLines('More money, each fund once; spent after the earlier lines.') fundingLines!: FundingLineDto[];
  @ApiProperty({ maxLength: 500 }) @IsCleanText() @Length(1, 500) reason!: string;
  @ApiPropertyOptional({ description: `${BACK_DATED} Not before the project's approval.` }) @OptionalField() @IsBusinessInstant() effectiveAt?: string;
}

export class ExpenseDto {
  @ApiProperty({ example: 'Acme Plumbing', maxLength: 120, description: 'Becomes the account `vendor:<name>`: no surrounding spaces.' })
  @IsCleanText()
  @Length(1, 120)
  vendor!: string;
  @AmountMinor('Positive whole number of minor units.') amountMinor!: number;
  @ApiProperty({ example: 'USD' }) @IsString() @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code such as USD' }) currency!: string;
  @ApiProperty({ example: 'INV-2026-0042', maxLength: 80 }) @IsCleanText() @Length(1, 80) invoiceReference!: string;
  @ApiProperty({ description: 'Date paid (ISO 8601 day or instant); may be in the past, not in a closed period, not before approval.', example: '2026-09-10T12:00:00Z' })
  @IsBusinessInstant()
  effectiveAt!: string;
}

export class CompleteImprovementDto {
  @ApiProperty({ example: '2026-10-30', format: 'date', description: 'Not in the future, not in a closed period.' }) @IsBusinessDay() completedOn!: string;
  @ApiProperty({ enum: INSPECTIONS }) @IsIn(INSPECTIONS) inspection!: (typeof INSPECTIONS)[number];
  @ApiPropertyOptional({ maxLength: 1000, description: 'May span several lines.' }) @OptionalField() @IsCleanText({ multiline: true }) @Length(1, 1000) inspectionNotes?: string;
}

export class ResaleCreditDto {
  @AmountMinor('Positive whole number of minor units added to the resale formula; at most what the work cost.') amountMinor!: number;
  @ApiProperty({ maxLength: 500, description: 'May span several lines.' }) @IsCleanText({ multiline: true }) @Length(1, 500) description!: string;
}

export class CancelImprovementDto {
  @ApiProperty({ maxLength: 500, description: 'Why the project stops; required.' }) @IsCleanText() @Length(1, 500) reason!: string;
}

export class ReverseExpenseDto {
  @ApiProperty({ maxLength: 500 }) @IsCleanText() @Length(1, 500) reason!: string;
  @ApiPropertyOptional({ description: 'Business date of the reversal (ISO 8601); defaults to now. On or after the expense, in an open period.' })
  @OptionalField()
  @IsBusinessInstant()
  effectiveAt?: string;
}

const MIN_YEAR = Number(MIN_BUSINESS_DAY.slice(0, 4));
const MAX_YEAR = Number(MAX_BUSINESS_DAY.slice(0, 4));

/** A month (`2026-03`), a fiscal quarter (`FY2026-Q1`) or a fiscal year (`FY2026`) within the supported years. */
export function isPeriodName(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = /^(?:(\d{4})-(0[1-9]|1[0-2])|FY(\d{4})(?:-Q[1-4])?)$/.exec(value);
  if (!m) return false;
  const year = Number(m[1] ?? m[3]);
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

function IsPeriodName(): PropertyDecorator {
  return ValidateBy({
    name: 'isPeriodName',
    validator: {
      validate: isPeriodName,
      defaultMessage: () => `period must be a month (2026-03), a fiscal quarter (FY2026-Q1) or a fiscal year (FY2026), years ${MIN_YEAR} to ${MAX_YEAR}`,
    },
  });
}

/** The property report: as of a business day. */
export class ReportQueryDto extends AsOfQueryDto {}

export class PortfolioReportQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ description: 'Also what was spent within this period: `2026-09`, `FY2026-Q3` or `FY2026`.', example: 'FY2026-Q3' })
  @OptionalField()
  @IsPeriodName()
  period?: string;
}

export class ListPropertiesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PROPERTY_STATUSES }) @OptionalField() @IsIn(PROPERTY_STATUSES) status?: string;
}

export class ListImprovementsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @OptionalField() @IsUUID() propertyId?: string;
  @ApiPropertyOptional({ enum: IMPROVEMENT_STATUSES }) @OptionalField() @IsIn(IMPROVEMENT_STATUSES) status?: string;
}
// Projects page by improvement id: the inherited cursor `after` must also be one.
IsUUID(undefined, { message: 'after must be the `next` of a previous page (an improvement id)' })(ListImprovementsQueryDto.prototype, 'after');
ApiPropertyOptional({ description: 'Cursor: the `next` of the previous page (an improvement id).', format: 'uuid' })(ListImprovementsQueryDto.prototype, 'after');
