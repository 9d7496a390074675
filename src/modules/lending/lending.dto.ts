import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsInt, IsObject, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsBusinessDay, IsCleanText, ToBoolean, OptionalField } from '../../http/dto-rules';
import { PageQueryDto } from '../../http/query.dto';
import { LOAN_INTERVALS, MAX_INSTALLMENTS } from './money-loan/money-loan.decider';
import { RESOURCE_BASE_STATUSES, RESOURCE_KINDS } from './resource/resource.decider';
import { MAX_MINUTES } from './labour/labour-exchange.decider';

/**
 * Request bodies and query strings of the lending routes. Every string is clean text (stored and
 * hashed exactly as given), every date a business day within the supported range, every amount a
 * safe whole number; the lengths are the event catalogue's (lending.events.ts).
 */

/** A required line of clean text of at most `max` characters. */
function Text(max: number, example?: string): PropertyDecorator {
  return applyDecorators(ApiProperty({ maxLength: max, ...(example ? { example } : {}) }), IsCleanText(), Length(1, max));
}

/** An optional line of clean text. */
function OptionalText(max: number, description?: string): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ maxLength: max, ...(description ? { description } : {}) }), OptionalField(), IsCleanText(), Length(1, max));
}

/** A required business day (YYYY-MM-DD). */
function Day(example: string, description?: string): PropertyDecorator {
  return applyDecorators(ApiProperty({ type: 'string', format: 'date', example, ...(description ? { description } : {}) }), IsBusinessDay());
}

/** An optional business day: a fact recorded after the fact (default today). */
function OptionalDay(description: string): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ type: 'string', format: 'date', description }), OptionalField(), IsBusinessDay());
}

function Minor(description: string, minimum = 1): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'integer', minimum, maximum: Number.MAX_SAFE_INTEGER, description }),
    IsInt({ message: '$property must be a whole number of minor units' }),
    Min(minimum),
    Max(Number.MAX_SAFE_INTEGER),
  );
}

function Currency(): PropertyDecorator {
  return applyDecorators(ApiProperty({ example: 'USD' }), Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' }));
}

function Uuid(description?: string): PropertyDecorator {
  return applyDecorators(ApiProperty({ format: 'uuid', ...(description ? { description } : {}) }), IsUUID());
}

function OptionalUuid(description?: string): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ format: 'uuid', ...(description ? { description } : {}) }), OptionalField(), IsUUID());
}

/** `asOf` on a query: a business day (default today). */
function AsOfParam(description = 'As of this business day (YYYY-MM-DD); default today.'): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ type: 'string', format: 'date', description, example: '2027-01-22' }), OptionalField(), IsBusinessDay());
}

/** A query enum. */
function OptionalEnum(values: readonly string[], description?: string): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ enum: [...values], ...(description ? { description } : {}) }), OptionalField(), IsIn(values));
}

export class RegisterCooperativeDto {
  @Text(200, 'Riverside Bakery Cooperative') name!: string;
  @Text(100, 'food') sector!: string;
  @Text(300, 'coordinator@riverside.coop') contact!: string;
}

export class ListCooperativesQueryDto extends PageQueryDto {}

export class RepaymentPlanDto {
  @ApiProperty({ enum: LOAN_INTERVALS }) @IsIn(LOAN_INTERVALS) interval!: (typeof LOAN_INTERVALS)[number];
  @ApiProperty({ type: 'integer', example: 4, minimum: 1, maximum: MAX_INSTALLMENTS }) @IsInt() @Min(1) @Max(MAX_INSTALLMENTS) installments!: number;
  @Day('2026-11-01', 'The first instalment; after the disbursement.') firstDueOn!: string;
}

export class DisburseMoneyLoanDto {
  @OptionalUuid('Lend from this fund (the revolving loan fund); steward only. The loan then awaits another steward\'s approval.') fromFundId?: string;
  @OptionalUuid('Lend from this cooperative; its own token or a steward. Disbursed at once.') fromCooperativeId?: string;
  @Uuid() borrowerId!: string;
  @Minor('Positive whole number of minor units.') amountMinor!: number;
  @Currency() currency!: string;
  @OptionalText(500) purpose?: string;
  @Day('2026-10-01', 'The business day the money moves (from a fund: the day asked for); not in the future, in an open period.') disbursedOn!: string;
  @ApiProperty({ type: RepaymentPlanDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => RepaymentPlanDto) repayment!: RepaymentPlanDto;
}

export class ApproveMoneyLoanDto {
  @OptionalDay('The business day the money moved: on or after the day asked for (its default), not in the future, in an open period.') disbursedOn?: string;
}

export class LendingReasonDto {
  @Text(500, 'the borrower found other money') reason!: string;
}

export class RepayMoneyLoanDto {
  @Minor('Positive whole number of minor units; at most what is outstanding.') amountMinor!: number;
  @Currency() currency!: string;
  @Day('2026-11-01') paidOn!: string;
}

export class ForgiveMoneyLoanDto {
  @Text(500) reason!: string;
  @Day('2027-01-15') forgivenOn!: string;
}

export const LOAN_STANDINGS = ['current', 'behind', 'repaid', 'forgiven'] as const;
/** A loan from a fund awaiting approval, or one that was refused. */
export const LOAN_REQUEST_STATUSES = ['pending', 'rejected'] as const;

export class ListMoneyLoansQueryDto extends PageQueryDto {
  @AsOfParam('Standing as of this business day (YYYY-MM-DD); default today.') asOf?: string;
  @OptionalUuid('Only loans this cooperative lent or borrowed.') cooperativeId?: string;
  @OptionalEnum([...LOAN_STANDINGS, ...LOAN_REQUEST_STATUSES], 'Standing as of `asOf`; `pending` and `rejected` list loans from a fund awaiting or refused approval.')
  status?: (typeof LOAN_STANDINGS)[number] | (typeof LOAN_REQUEST_STATUSES)[number];
}


export class RegisterResourceDto {
  @Uuid() ownerId!: string;
  @ApiProperty({ enum: RESOURCE_KINDS }) @IsIn(RESOURCE_KINDS) kind!: (typeof RESOURCE_KINDS)[number];
  @Text(500, 'Stand mixer, 20 l') description!: string;
  @Text(300, 'good') condition!: string;
  @OptionalEnum(RESOURCE_BASE_STATUSES, 'Default available.') status?: (typeof RESOURCE_BASE_STATUSES)[number];
  @OptionalText(500, 'Required when retired.') reason?: string;
}

export class ChangeResourceStatusDto {
  @ApiProperty({ enum: RESOURCE_BASE_STATUSES }) @IsIn(RESOURCE_BASE_STATUSES) status!: (typeof RESOURCE_BASE_STATUSES)[number];
  @OptionalText(500, 'Required when retired.') reason?: string;
}

export class ListResourcesQueryDto extends PageQueryDto {
  @OptionalEnum(RESOURCE_KINDS) kind?: (typeof RESOURCE_KINDS)[number];
  @OptionalUuid('Only this cooperative\'s resources.') ownerId?: string;
  @ApiPropertyOptional({ type: 'boolean', description: '`true`: only resources available now; `false`: only the others.' })
  @OptionalField()
  @ToBoolean()
  @IsBoolean()
  available?: boolean;
}

export class ReserveThingDto {
  @Uuid() resourceId!: string;
  @Uuid() borrowerId!: string;
  @Day('2026-10-05', 'Today or later.') startOn!: string;
  @Day('2026-10-12') dueOn!: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Optional deposit, minor units: taken at check-out, back on return, kept if lost or damaged.' })
  @OptionalField() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) depositMinor?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Optional fee, minor units: paid to the owner when the loan ends.' })
  @OptionalField() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) feeMinor?: number;
  @ApiPropertyOptional({ example: 'USD', description: 'Required with a deposit or fee.' })
  @OptionalField() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' }) currency?: string;
}

export class WaiveChargeDto {
  @ApiProperty({ enum: ['deposit', 'fee'] }) @IsIn(['deposit', 'fee']) charge!: 'deposit' | 'fee';
  @Text(500) reason!: string;
}

export class CheckOutThingDto {
  @OptionalDay('The business day it went out (default today): on or after the reservation starts, by its due date, not in the future, in an open period.')
  checkedOutOn?: string;
}

export class RenewThingDto {
  @Day('2026-10-19', 'The new due date, after the current one.') dueOn!: string;
  @OptionalDay('The business day of the renewal (default today): on or after the check-out, not in the future, in an open period.') renewedOn?: string;
}

export class ReturnThingDto {
  @Text(300, 'good') condition!: string;
  @OptionalDay('The business day it came back (default today): on or after the check-out, not in the future, in an open period.') returnedOn?: string;
}

export class LostOrDamagedDto {
  @ApiProperty({ enum: ['lost', 'damaged'] }) @IsIn(['lost', 'damaged']) outcome!: 'lost' | 'damaged';
  @Text(500) notes!: string;
  @OptionalDay('The business day it was lost or damaged (default today): on or after the check-out, not in the future, in an open period.') reportedOn?: string;
}

export const THING_LOAN_STATUSES = ['reserved', 'out', 'overdue', 'returned', 'renewed', 'lost', 'damaged', 'cancelled'] as const;

export class CancelReservationDto {
  @Text(500) reason!: string;
}

export class ListThingLoansQueryDto extends PageQueryDto {
  @OptionalEnum(THING_LOAN_STATUSES, 'Status as of `asOf`.') status?: (typeof THING_LOAN_STATUSES)[number];
  @AsOfParam('Status as of this business day (YYYY-MM-DD); default today.') asOf?: string;
  @OptionalUuid('Only loans this cooperative lent or borrowed.') cooperativeId?: string;
  @OptionalUuid('Only loans of this resource.') resourceId?: string;
}

export class LabourLimitDto {
  @ApiProperty({ type: 'integer', example: 2400, minimum: 0, maximum: 10_000_000, description: 'Minutes; a balance past it either way is flagged.' })
  @IsInt() @Min(0) @Max(10_000_000) limitMinutes!: number;
}

export class ProposeHoursDto {
  @Uuid('The cooperative whose members did the work.') workerId!: string;
  @Uuid('The cooperative the work was done for.') receiverId!: string;
  @ApiProperty({ type: 'integer', example: 480, minimum: 1, maximum: MAX_MINUTES }) @IsInt() @Min(1) @Max(MAX_MINUTES) minutes!: number;
  @Day('2027-01-10', 'Not in the future, in an open period (also when the counterpart confirms).') workedOn!: string;
  @Text(500) description!: string;
}

/** A listing of a cooperative's figures as of a day. */
export class AsOfCooperativeQueryDto extends PageQueryDto {
  @AsOfParam() asOf?: string;
  @OptionalUuid('Only this cooperative\'s.') cooperativeId?: string;
}
