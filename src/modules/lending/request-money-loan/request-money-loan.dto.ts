import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { LOAN_INTERVALS, MAX_INSTALMENTS } from '../money-loan/money-loan.decider';
import { OptionalText, Day, Minor, Currency, Uuid, OptionalUuid } from '../shared/lending-dto-rules';

export class RepaymentPlanDto {
  @ApiProperty({ enum: LOAN_INTERVALS }) @IsIn(LOAN_INTERVALS) interval!: (typeof LOAN_INTERVALS)[number];
  @ApiProperty({ type: 'integer', example: 4, minimum: 1, maximum: MAX_INSTALMENTS }) @IsInt() @Min(1) @Max(MAX_INSTALMENTS) instalments!: number;
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
