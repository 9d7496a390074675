import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The shapes the lending routes answer, for the OpenAPI document. Business days are
 * `YYYY-MM-DD`, instants UTC ISO 8601 with `Z`; amounts integer minor units.
 */

const DAY = { type: 'string', format: 'date', example: '2027-01-22' } as const;
const INSTANT = { type: 'string', format: 'date-time', example: '2027-01-22T10:00:00.000Z' } as const;
const POSITION = { type: 'integer', description: 'The log position of the write (also the `Ledger-Position` header).' } as const;
const NEXT = { description: 'The `after` of the next page; absent on the last page.' } as const;
const OBJECT = { type: 'object', additionalProperties: true } as const;

export class CooperativeCreatedDto {
  @ApiProperty({ format: 'uuid' }) cooperativeId!: string;
  @ApiProperty(POSITION) position!: number;
}

export class CooperativeDto {
  @ApiProperty({ format: 'uuid' }) cooperativeId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() sector!: string;
  @ApiProperty() contact!: string;
  @ApiProperty(INSTANT) registeredAt!: string;
}

export class CooperativeListDto {
  @ApiProperty({ type: [CooperativeDto] }) items!: CooperativeDto[];
  @ApiPropertyOptional(NEXT) next?: string;
}

export class LabourLimitSetDto {
  @ApiProperty({ format: 'uuid' }) cooperativeId!: string;
  @ApiProperty({ type: 'integer' }) limitMinutes!: number;
  @ApiProperty(POSITION) position!: number;
}

export class MoneyLoanCreatedDto {
  @ApiProperty({ format: 'uuid' }) loanId!: string;
  @ApiProperty({ enum: ['pending', 'active'], description: '`pending` from a fund (awaiting another steward), `active` between cooperatives.' }) status!: string;
  @ApiProperty(POSITION) position!: number;
}

export class MoneyLoanDecidedDto {
  @ApiProperty({ format: 'uuid' }) loanId!: string;
  @ApiProperty({ enum: ['active', 'rejected'] }) status!: string;
  @ApiPropertyOptional({ ...DAY, description: 'The business day it was disbursed (approval).' }) disbursedOn?: string;
  @ApiProperty(POSITION) position!: number;
}

export class MoneyLoanEntryDto {
  @ApiProperty({ format: 'uuid' }) loanId!: string;
  @ApiProperty({ enum: ['active', 'repaid', 'forgiven'] }) status!: string;
  @ApiProperty({ type: 'integer' }) outstandingMinor!: number;
  @ApiPropertyOptional({ format: 'uuid' }) repaymentId?: string;
  @ApiProperty(POSITION) position!: number;
}

export class LoanInstalmentDto {
  @ApiProperty(DAY) dueOn!: string;
  @ApiProperty({ type: 'integer' }) amountMinor!: number;
}

export class LoanStandingDto {
  @ApiProperty({ enum: ['current', 'behind', 'repaid', 'forgiven'] }) status!: string;
  @ApiProperty({ type: 'integer' }) paidMinor!: number;
  @ApiProperty({ type: 'integer' }) forgivenMinor!: number;
  @ApiProperty({ type: 'integer' }) outstandingMinor!: number;
  @ApiProperty({ type: 'integer' }) dueMinor!: number;
  @ApiProperty({ type: 'integer' }) behindMinor!: number;
  @ApiPropertyOptional(DAY) nextDueOn?: string;
}

/** A disbursed loan with its standing, or (`status` pending or rejected) a loan from a fund not disbursed. */
export class MoneyLoanDto {
  @ApiProperty({ format: 'uuid' }) loanId!: string;
  @ApiPropertyOptional({ enum: ['pending', 'rejected'], description: 'Only on a loan from a fund that was not disbursed.' }) status?: string;
  @ApiProperty({ ...OBJECT, description: '`{kind: fund, fundId, fundCode}` or `{kind: cooperative, cooperativeId}`.' }) lender!: Record<string, unknown>;
  @ApiProperty({ example: 'fund:revolving-loan-fund' }) lenderAccount!: string;
  @ApiProperty({ format: 'uuid' }) borrowerId!: string;
  @ApiProperty({ type: 'integer' }) amountMinor!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiPropertyOptional() purpose?: string;
  @ApiProperty(DAY) disbursedOn!: string;
  @ApiPropertyOptional({ type: 'integer', enum: [0] }) interestRateBasisPoints?: number;
  @ApiPropertyOptional({ type: [LoanInstalmentDto] }) schedule?: LoanInstalmentDto[];
  @ApiPropertyOptional(DAY) asOf?: string;
  @ApiPropertyOptional({ type: LoanStandingDto }) standing?: LoanStandingDto;
  @ApiPropertyOptional({ type: 'array', items: OBJECT, description: '`{repaymentId, paidOn, amountMinor}`' }) repayments?: Record<string, unknown>[];
  @ApiPropertyOptional({ ...OBJECT, description: '`{forgivenOn, amountMinor, reason}`' }) forgiveness?: Record<string, unknown>;
  @ApiPropertyOptional({ ...OBJECT, description: 'A pending or rejected loan: `{interval, instalments, firstDueOn}`.' }) repayment?: Record<string, unknown>;
  @ApiPropertyOptional() requestedBy?: string;
  @ApiPropertyOptional(INSTANT) requestedAt?: string;
  @ApiPropertyOptional({ ...OBJECT, description: '`{rejectedBy, reason}`' }) rejection?: Record<string, unknown>;
}

export class MoneyLoanListDto {
  @ApiProperty(DAY) asOf!: string;
  @ApiProperty({ type: [MoneyLoanDto] }) items!: MoneyLoanDto[];
  @ApiPropertyOptional(NEXT) next?: string;
}

export class ResourceCreatedDto {
  @ApiProperty({ format: 'uuid' }) resourceId!: string;
  @ApiProperty(POSITION) position!: number;
}

export class ResourceStatusChangedDto {
  @ApiProperty({ format: 'uuid' }) resourceId!: string;
  @ApiProperty({ enum: ['available', 'in-repair', 'retired'] }) status!: string;
  @ApiProperty(POSITION) position!: number;
}

export class ResourceDto {
  @ApiProperty({ format: 'uuid' }) resourceId!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The owner cooperative; only to network roles and the owner itself.' }) ownerId?: string;
  @ApiProperty({ enum: ['equipment', 'vehicle', 'space', 'other'] }) kind!: string;
  @ApiProperty() description!: string;
  @ApiProperty() condition!: string;
  @ApiProperty({ enum: ['available', 'in-repair', 'retired', 'on-loan'] }) status!: string;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The loan it is out on; only to network roles and the two cooperatives of that loan.' }) onLoan?: string;
}

export class ResourceListDto {
  @ApiProperty({ type: [ResourceDto] }) items!: ResourceDto[];
  @ApiPropertyOptional(NEXT) next?: string;
}

export class ThingLoanCreatedDto {
  @ApiProperty({ format: 'uuid' }) loanId!: string;
  @ApiProperty({ format: 'uuid' }) resourceId!: string;
  @ApiProperty({ enum: ['reserved'] }) status!: string;
  @ApiProperty(POSITION) position!: number;
}

export class ThingLoanDecisionDto {
  @ApiProperty({ format: 'uuid' }) loanId!: string;
  @ApiProperty({ format: 'uuid' }) resourceId!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'A renewal: the new loan.' }) renewalId?: string;
  @ApiProperty(POSITION) position!: number;
}

export class ThingLoanDto {
  @ApiProperty({ format: 'uuid' }) loanId!: string;
  @ApiProperty({ format: 'uuid' }) resourceId!: string;
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty({ format: 'uuid' }) borrowerId!: string;
  @ApiProperty(DAY) startOn!: string;
  @ApiProperty(DAY) dueOn!: string;
  @ApiPropertyOptional({ format: 'uuid' }) renewalOf?: string;
  @ApiPropertyOptional({ format: 'uuid' }) renewedBy?: string;
  @ApiPropertyOptional(DAY) checkedOutOn?: string;
  @ApiPropertyOptional(DAY) endedOn?: string;
  @ApiPropertyOptional() returnCondition?: string;
  @ApiPropertyOptional() notes?: string;
  @ApiProperty(DAY) asOf!: string;
  @ApiProperty({ enum: ['reserved', 'out', 'overdue', 'returned', 'renewed', 'lost', 'damaged', 'cancelled'] }) status!: string;
  @ApiPropertyOptional() returnedLate?: boolean;
  @ApiPropertyOptional({ ...OBJECT, description: 'Deposit and fee: amounts, what was waived, taken and settled.' }) charges?: Record<string, unknown>;
}

export class ThingLoanListDto {
  @ApiProperty(DAY) asOf!: string;
  @ApiProperty({ type: [ThingLoanDto] }) items!: ThingLoanDto[];
  @ApiPropertyOptional(NEXT) next?: string;
}

export class LabourExchangeCreatedDto {
  @ApiProperty({ format: 'uuid' }) exchangeId!: string;
  @ApiProperty({ enum: ['proposed', 'confirmed'] }) status!: string;
  @ApiProperty(POSITION) position!: number;
}

export class LabourExchangeDto {
  @ApiProperty({ format: 'uuid' }) exchangeId!: string;
  @ApiProperty({ format: 'uuid' }) workerId!: string;
  @ApiProperty({ format: 'uuid' }) receiverId!: string;
  @ApiProperty({ type: 'integer' }) minutes!: number;
  @ApiProperty(DAY) workedOn!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'uuid', description: 'The cooperative that proposed it.' }) proposedBy!: string;
  @ApiProperty({ enum: ['proposed', 'confirmed'] }) status!: string;
  @ApiPropertyOptional(INSTANT) confirmedAt?: string;
}

export class LabourExchangeListDto {
  @ApiProperty(DAY) asOf!: string;
  @ApiProperty({ type: [LabourExchangeDto] }) items!: LabourExchangeDto[];
  @ApiPropertyOptional(NEXT) next?: string;
}

export class LabourBalanceDto {
  @ApiProperty({ format: 'uuid' }) cooperativeId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) balanceMinutes!: number;
  @ApiPropertyOptional({ type: 'integer' }) limitMinutes?: number;
  @ApiProperty() flagged!: boolean;
}

export class LabourBalanceListDto {
  @ApiProperty(DAY) asOf!: string;
  @ApiProperty({ type: [LabourBalanceDto] }) items!: LabourBalanceDto[];
  @ApiPropertyOptional(NEXT) next?: string;
}

export class CooperativeLendingReportDto {
  @ApiProperty({ format: 'uuid' }) cooperativeId!: string;
  @ApiProperty() name!: string;
  @ApiProperty(DAY) asOf!: string;
  @ApiProperty({ ...OBJECT, description: '`lent` and `borrowed` totals per currency, and `loans`.' }) money!: Record<string, unknown>;
  @ApiProperty({ ...OBJECT, description: '`lent` and `borrowed` counts, and `loans`.' }) things!: Record<string, unknown>;
  @ApiProperty({ ...OBJECT, description: '`workedMinutes`, `receivedMinutes`, `balanceMinutes`, `limitMinutes`, `flagged`.' }) hours!: Record<string, unknown>;
}

export class NetworkLendingReportDto {
  @ApiProperty(DAY) asOf!: string;
  @ApiProperty({ type: 'array', items: OBJECT, description: 'Totals per currency.' }) money!: Record<string, unknown>[];
  @ApiProperty({ type: 'array', items: OBJECT, description: 'Who lent to whom: money, things, hours.' }) flows!: Record<string, unknown>[];
  @ApiProperty({ type: 'array', items: OBJECT }) utilisation!: Record<string, unknown>[];
  @ApiProperty({ type: 'array', items: OBJECT }) overdueThings!: Record<string, unknown>[];
  @ApiProperty({ type: 'array', items: OBJECT }) moneyBehind!: Record<string, unknown>[];
  @ApiProperty({ type: [LabourBalanceDto] }) hours!: LabourBalanceDto[];
}
