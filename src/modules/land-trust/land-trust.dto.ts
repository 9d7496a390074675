import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { INSPECTIONS, PHASES } from './improvement/improvement.decider';
import { PROPERTY_STATUSES } from './property/property.decider';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;
/** Names that become account addresses (`vendor:<name>`) start with a visible character. */
const NAME = /^\S/;

export class RegisterPropertyDto {
  @ApiProperty({ example: '12 Elm Street, Springfield', maxLength: 300 }) @IsString() @Length(1, 300) address!: string;
  @ApiProperty({ example: 'APN-044-221-07', maxLength: 80 }) @IsString() @Matches(/^[A-Za-z0-9][A-Za-z0-9._\/-]{0,79}$/, { message: 'parcelId is 1 to 80 letters, digits and . _ / -' }) parcelId!: string;
  @ApiProperty({ example: '2024-05-01' }) @Matches(DATE, { message: 'acquiredOn must be a date (YYYY-MM-DD)' }) acquiredOn!: string;
  @ApiProperty({ enum: PROPERTY_STATUSES }) @IsIn(PROPERTY_STATUSES) status!: (typeof PROPERTY_STATUSES)[number];
}

export class ChangePropertyStatusDto {
  @ApiProperty({ enum: PROPERTY_STATUSES }) @IsIn(PROPERTY_STATUSES) status!: (typeof PROPERTY_STATUSES)[number];
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @Length(1, 500) reason?: string;
}

export class GroundLeaseDto {
  @ApiProperty({ description: 'A pseudonymous household id, never a name.', example: 'hh-7f3a9c' }) @IsString() @Length(1, 64) householdId!: string;
  @ApiProperty({ example: '2026-01-01' }) @Matches(DATE, { message: 'startsOn must be a date (YYYY-MM-DD)' }) startsOn!: string;
  @ApiProperty({ example: 99 }) @IsInt() @Min(1) @Max(199) termYears!: number;
}

export class FundingLineDto {
  @ApiProperty() @IsUUID() fundId!: string;
  @ApiProperty({ description: 'Positive whole number of minor units.' })
  @IsInt({ message: 'amountMinor must be a whole number of minor units' })
  @Min(1)
  @Max(MAX_AMOUNT)
  amountMinor!: number;
}

export class PlanImprovementDto {
  @ApiProperty() @IsUUID() propertyId!: string;
  @ApiProperty({ maxLength: 500 }) @IsString() @Length(1, 500) description!: string;
  @ApiProperty({ enum: PHASES }) @IsIn(PHASES) phase!: (typeof PHASES)[number];
  @ApiProperty({ description: 'Positive whole number of minor units.' })
  @IsInt({ message: 'estimateMinor must be a whole number of minor units' })
  @Min(1)
  @Max(MAX_AMOUNT)
  estimateMinor!: number;
  @ApiProperty({ example: 'USD' }) @IsString() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' }) currency!: string;
  @ApiProperty({ type: [FundingLineDto], description: 'Drawn in this order; together at least the estimate.' })
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Type(() => FundingLineDto)
  fundingLines!: FundingLineDto[];
}

export class BudgetIncreaseDto {
  @ApiProperty({ type: [FundingLineDto] })
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Type(() => FundingLineDto)
  fundingLines!: FundingLineDto[];
  @ApiProperty({ maxLength: 500 }) @IsString() @Length(1, 500) reason!: string;
}

export class ExpenseDto {
  @ApiProperty({ example: 'Acme Plumbing', maxLength: 120 }) @IsString() @Length(1, 120) @Matches(NAME, { message: 'vendor must start with a visible character' }) vendor!: string;
  @ApiProperty({ description: 'Positive whole number of minor units.' })
  @IsInt({ message: 'amountMinor must be a whole number of minor units' })
  @Min(1)
  @Max(MAX_AMOUNT)
  amountMinor!: number;
  @ApiProperty({ example: 'USD' }) @IsString() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' }) currency!: string;
  @ApiProperty({ example: 'INV-2026-0042', maxLength: 80 }) @IsString() @Length(1, 80) invoiceReference!: string;
  @ApiProperty({ description: 'Date paid (ISO 8601); may be in the past, not in a closed period, not before approval.' })
  @IsISO8601({ strict: true })
  effectiveAt!: string;
}

export class CompleteImprovementDto {
  @ApiProperty({ example: '2026-10-30' }) @Matches(DATE, { message: 'completedOn must be a date (YYYY-MM-DD)' }) completedOn!: string;
  @ApiProperty({ enum: INSPECTIONS }) @IsIn(INSPECTIONS) inspection!: (typeof INSPECTIONS)[number];
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsString() @Length(1, 1000) inspectionNotes?: string;
}

export class ResaleCreditDto {
  @ApiProperty({ description: 'Positive whole number of minor units added to the resale formula.' })
  @IsInt({ message: 'amountMinor must be a whole number of minor units' })
  @Min(1)
  @Max(MAX_AMOUNT)
  amountMinor!: number;
  @ApiProperty({ maxLength: 500 }) @IsString() @Length(1, 500) description!: string;
}

export class CancelImprovementDto {
  @ApiProperty({ maxLength: 500 }) @IsString() @Length(1, 500) reason!: string;
}

export class ReverseExpenseDto {
  @ApiProperty({ maxLength: 500 }) @IsString() @Length(1, 500) reason!: string;
  @ApiPropertyOptional({ description: 'Business date of the reversal; defaults to now. On or after the expense, in an open period.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveAt?: string;
}

export class ReportQueryDto {
  @IsOptional() @Matches(DATE, { message: 'asOf must be a date (YYYY-MM-DD)' }) asOf?: string;
}

export class PortfolioReportQueryDto extends ReportQueryDto {
  @IsOptional() @IsString() @Length(1, 20) period?: string;
}

export class ListPropertiesQueryDto {
  @IsOptional() @IsIn(PROPERTY_STATUSES) status?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @IsString() @Length(1, 80) after?: string;
}

export class ListImprovementsQueryDto {
  @IsOptional() @IsUUID() propertyId?: string;
  @IsOptional() @IsIn(['planned', 'approved', 'completed', 'cancelled']) status?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @IsUUID() after?: string;
}
