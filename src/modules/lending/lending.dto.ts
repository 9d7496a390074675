import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { LOAN_INTERVALS, MAX_INSTALLMENTS } from './money-loan/money-loan.decider';
import { RESOURCE_BASE_STATUSES, RESOURCE_KINDS } from './resource/resource.decider';
import { MAX_MINUTES } from './labour/labour-exchange.decider';

const VISIBLE = /^\S/;

export class RegisterCooperativeDto {
  @ApiProperty({ example: 'Riverside Bakery Cooperative', maxLength: 200 }) @IsString() @Length(1, 200) @Matches(VISIBLE, { message: 'name starts with a visible character' }) name!: string;
  @ApiProperty({ example: 'food', maxLength: 100 }) @IsString() @Length(1, 100) sector!: string;
  @ApiProperty({ example: 'coordinator@riverside.coop', maxLength: 300 }) @IsString() @Length(1, 300) contact!: string;
}

export class ListCooperativesQueryDto {
  @ApiPropertyOptional({ description: 'Cursor: the name of the last cooperative of the previous page.' }) @IsOptional() @IsString() after?: string;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class RepaymentPlanDto {
  @ApiProperty({ enum: LOAN_INTERVALS }) @IsIn(LOAN_INTERVALS) interval!: (typeof LOAN_INTERVALS)[number];
  @ApiProperty({ example: 4, maximum: MAX_INSTALLMENTS }) @IsInt() @Min(1) @Max(MAX_INSTALLMENTS) installments!: number;
  @ApiProperty({ example: '2026-11-01' }) @Matches(DATE, { message: 'firstDueOn must be a date (YYYY-MM-DD)' }) firstDueOn!: string;
}

export class DisburseMoneyLoanDto {
  @ApiPropertyOptional({ description: 'Lend from this fund (the revolving loan fund); steward only.' }) @IsOptional() @IsUUID() fromFundId?: string;
  @ApiPropertyOptional({ description: 'Lend from this cooperative; its own token or a steward.' }) @IsOptional() @IsUUID() fromCooperativeId?: string;
  @ApiProperty() @IsUUID() borrowerId!: string;
  @ApiProperty({ description: 'Positive whole number of minor units.' })
  @IsInt({ message: 'amountMinor must be a whole number of minor units' })
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor!: number;
  @ApiProperty({ example: 'USD' }) @IsString() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' }) currency!: string;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @Length(1, 500) purpose?: string;
  @ApiProperty({ example: '2026-10-01' }) @Matches(DATE, { message: 'disbursedOn must be a date (YYYY-MM-DD)' }) disbursedOn!: string;
  @ApiProperty({ type: RepaymentPlanDto }) @ValidateNested() @Type(() => RepaymentPlanDto) repayment!: RepaymentPlanDto;
}

export class RepayMoneyLoanDto {
  @ApiProperty({ description: 'Positive whole number of minor units; at most what is outstanding.' })
  @IsInt({ message: 'amountMinor must be a whole number of minor units' })
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor!: number;
  @ApiProperty({ example: 'USD' }) @IsString() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' }) currency!: string;
  @ApiProperty({ example: '2026-11-01' }) @Matches(DATE, { message: 'paidOn must be a date (YYYY-MM-DD)' }) paidOn!: string;
}

export class ForgiveMoneyLoanDto {
  @ApiProperty({ maxLength: 500 }) @IsString() @Length(1, 500) reason!: string;
  @ApiProperty({ example: '2027-01-15' }) @Matches(DATE, { message: 'forgivenOn must be a date (YYYY-MM-DD)' }) forgivenOn!: string;
}

export const LOAN_STANDINGS = ['current', 'behind', 'repaid', 'forgiven'] as const;

export class ListMoneyLoansQueryDto {
  @ApiPropertyOptional({ description: 'Standing as of this date (default today).' }) @IsOptional() @Matches(DATE, { message: 'asOf must be a date (YYYY-MM-DD)' }) asOf?: string;
  @ApiPropertyOptional({ description: 'Only loans this cooperative lent or borrowed.' }) @IsOptional() @IsUUID() cooperativeId?: string;
  @ApiPropertyOptional({ enum: LOAN_STANDINGS }) @IsOptional() @IsIn(LOAN_STANDINGS) status?: (typeof LOAN_STANDINGS)[number];
}

export class MoneyLoanQueryDto {
  @ApiPropertyOptional({ description: 'Standing as of this date (default today).' }) @IsOptional() @Matches(DATE, { message: 'asOf must be a date (YYYY-MM-DD)' }) asOf?: string;
}

export class RegisterResourceDto {
  @ApiProperty() @IsUUID() ownerId!: string;
  @ApiProperty({ enum: RESOURCE_KINDS }) @IsIn(RESOURCE_KINDS) kind!: (typeof RESOURCE_KINDS)[number];
  @ApiProperty({ example: 'Stand mixer, 20 l', maxLength: 500 }) @IsString() @Length(1, 500) description!: string;
  @ApiProperty({ example: 'good', maxLength: 300 }) @IsString() @Length(1, 300) condition!: string;
  @ApiPropertyOptional({ enum: RESOURCE_BASE_STATUSES, default: 'available' }) @IsOptional() @IsIn(RESOURCE_BASE_STATUSES) status?: (typeof RESOURCE_BASE_STATUSES)[number];
  @ApiPropertyOptional({ description: 'Required when retired.', maxLength: 500 }) @IsOptional() @IsString() @Length(1, 500) reason?: string;
}

export class ChangeResourceStatusDto {
  @ApiProperty({ enum: RESOURCE_BASE_STATUSES }) @IsIn(RESOURCE_BASE_STATUSES) status!: (typeof RESOURCE_BASE_STATUSES)[number];
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @Length(1, 500) reason?: string;
}

export class ListResourcesQueryDto {
  @ApiPropertyOptional({ enum: RESOURCE_KINDS }) @IsOptional() @IsIn(RESOURCE_KINDS) kind?: (typeof RESOURCE_KINDS)[number];
  @ApiPropertyOptional() @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) available?: 'true' | 'false';
}

export class ReserveThingDto {
  @ApiProperty() @IsUUID() resourceId!: string;
  @ApiProperty() @IsUUID() borrowerId!: string;
  @ApiProperty({ example: '2026-10-05' }) @Matches(DATE, { message: 'startOn must be a date (YYYY-MM-DD)' }) startOn!: string;
  @ApiProperty({ example: '2026-10-12' }) @Matches(DATE, { message: 'dueOn must be a date (YYYY-MM-DD)' }) dueOn!: string;
  @ApiPropertyOptional({ description: 'Optional deposit, minor units: taken at check-out, back on return, kept if lost or damaged.' })
  @IsOptional() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) depositMinor?: number;
  @ApiPropertyOptional({ description: 'Optional fee, minor units: paid to the owner when the loan ends.' })
  @IsOptional() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) feeMinor?: number;
  @ApiPropertyOptional({ example: 'USD', description: 'Required with a deposit or fee.' })
  @IsOptional() @IsString() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' }) currency?: string;
}

export class WaiveChargeDto {
  @ApiProperty({ enum: ['deposit', 'fee'] }) @IsIn(['deposit', 'fee']) charge!: 'deposit' | 'fee';
  @ApiProperty({ maxLength: 500 }) @IsString() @Length(1, 500) reason!: string;
}

export class RenewThingDto {
  @ApiProperty({ example: '2026-10-19' }) @Matches(DATE, { message: 'dueOn must be a date (YYYY-MM-DD)' }) dueOn!: string;
}

export class ReturnThingDto {
  @ApiProperty({ example: 'good', maxLength: 300 }) @IsString() @Length(1, 300) condition!: string;
}

export class LostOrDamagedDto {
  @ApiProperty({ enum: ['lost', 'damaged'] }) @IsIn(['lost', 'damaged']) outcome!: 'lost' | 'damaged';
  @ApiProperty({ maxLength: 500 }) @IsString() @Length(1, 500) notes!: string;
}

export const THING_LOAN_STATUSES = ['reserved', 'out', 'overdue', 'returned', 'renewed', 'lost', 'damaged', 'cancelled'] as const;

export class CancelReservationDto {
  @ApiProperty({ maxLength: 500 }) @IsString() @Length(1, 500) reason!: string;
}

export class ListThingLoansQueryDto {
  @ApiPropertyOptional({ enum: THING_LOAN_STATUSES }) @IsOptional() @IsIn(THING_LOAN_STATUSES) status?: (typeof THING_LOAN_STATUSES)[number];
  @ApiPropertyOptional({ description: 'Status as of this date (default today).' }) @IsOptional() @Matches(DATE, { message: 'asOf must be a date (YYYY-MM-DD)' }) asOf?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() cooperativeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() resourceId?: string;
}

export class LabourLimitDto {
  @ApiProperty({ example: 2400, description: 'Minutes; a balance past it either way is flagged.' }) @IsInt() @Min(0) @Max(10_000_000) limitMinutes!: number;
}

export class ProposeHoursDto {
  @ApiProperty({ description: 'The cooperative whose members did the work.' }) @IsUUID() workerId!: string;
  @ApiProperty({ description: 'The cooperative the work was done for.' }) @IsUUID() receiverId!: string;
  @ApiProperty({ example: 480 }) @IsInt() @Min(1) @Max(MAX_MINUTES) minutes!: number;
  @ApiProperty({ example: '2027-01-10' }) @Matches(DATE, { message: 'workedOn must be a date (YYYY-MM-DD)' }) workedOn!: string;
  @ApiProperty({ maxLength: 500 }) @IsString() @Length(1, 500) description!: string;
}

export class AsOfCooperativeQueryDto {
  @ApiPropertyOptional({ description: 'As of this date (default today).' }) @IsOptional() @Matches(DATE, { message: 'asOf must be a date (YYYY-MM-DD)' }) asOf?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() cooperativeId?: string;
}
