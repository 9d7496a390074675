import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The OpenAPI shapes of the accountability answers (the functions in attribution/ and reports/ build them). */

export class GiftTotalsDto {
  @ApiProperty() amountMinor!: number;
  @ApiProperty({ description: 'Paid for disbursements, improvement expenses, forgiven loans (net of reversals).' }) spentMinor!: number;
  @ApiProperty({ description: 'Still in a fund, held for a commitment or available.' }) inFundsMinor!: number;
  @ApiProperty({ description: 'Lent to a cooperative and not yet repaid.' }) onLoanMinor!: number;
  @ApiProperty({ description: 'Given back to the giver from this gift\'s own money.' }) refundedMinor!: number;
}

export class PaidForLineDto {
  @ApiProperty({ enum: ['disbursement', 'improvement', 'loan-forgiven', 'refund-shortfall', 'other'] }) kind!: string;
  @ApiProperty({ description: 'Business day of the spending (YYYY-MM-DD).' }) on!: string;
  @ApiProperty() fundCode!: string;
  @ApiProperty() amountMinor!: number;
  @ApiPropertyOptional({ format: 'uuid' }) movementId?: string;
  @ApiPropertyOptional() payee?: string;
  @ApiPropertyOptional() category?: string;
  @ApiPropertyOptional() purpose?: string;
  @ApiPropertyOptional({ format: 'uuid' }) improvementId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) expenseId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) propertyId?: string;
  @ApiPropertyOptional() propertyAddress?: string;
  @ApiPropertyOptional() projectDescription?: string;
  @ApiPropertyOptional() phase?: string;
  @ApiPropertyOptional() vendor?: string;
  @ApiPropertyOptional({ format: 'uuid' }) loanId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) cooperativeId?: string;
  @ApiPropertyOptional() cooperativeName?: string;
  @ApiPropertyOptional() note?: string;
}

export class LoanLineDto {
  @ApiProperty({ format: 'uuid' }) loanId!: string;
  @ApiProperty({ format: 'uuid' }) cooperativeId!: string;
  @ApiProperty({ type: 'string', nullable: true }) cooperativeName!: string | null;
  @ApiProperty() fundCode!: string;
  @ApiProperty() lentOn!: string;
  @ApiProperty() lentMinor!: number;
  @ApiProperty() repaidMinor!: number;
  @ApiProperty() forgivenMinor!: number;
  @ApiProperty() outstandingMinor!: number;
  @ApiProperty({ enum: ['outstanding', 'repaid', 'forgiven', 'partly-forgiven'] }) status!: string;
}

export class InFundLineDto {
  @ApiProperty() fundCode!: string;
  @ApiProperty({ type: 'string', nullable: true }) fundName!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) purpose!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) restrictionClass!: string | null;
  @ApiProperty() amountMinor!: number;
}

export class MovedLineDto {
  @ApiProperty() fromFundCode!: string;
  @ApiProperty() toFundCode!: string;
  @ApiProperty() on!: string;
  @ApiProperty() amountMinor!: number;
  @ApiProperty({ description: 'A transfer reversed: the money went back where it came from.' }) returned!: boolean;
}

export class RefundDto {
  @ApiProperty() on!: string;
  @ApiProperty() amountMinor!: number;
  @ApiProperty() fromThisGiftMinor!: number;
}

export class GiftTraceDto {
  @ApiProperty({ format: 'uuid' }) donationId!: string;
  @ApiProperty({ enum: ['donation'] }) kind!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) sustainerId!: string | null;
  @ApiProperty({ description: 'An erased sustainer keeps its gifts, without a name.' }) erased!: boolean;
  @ApiProperty() asOf!: string;
  @ApiProperty() receivedOn!: string;
  @ApiProperty() received!: boolean;
  @ApiProperty() fundCode!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() restrictionClass!: string;
  @ApiProperty() recurring!: boolean;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) pledgeId!: string | null;
  @ApiProperty({ type: GiftTotalsDto }) totals!: GiftTotalsDto;
  @ApiProperty({ type: [PaidForLineDto] }) paidFor!: PaidForLineDto[];
  @ApiProperty({ type: [LoanLineDto] }) loans!: LoanLineDto[];
  @ApiProperty({ type: [InFundLineDto] }) inFunds!: InFundLineDto[];
  @ApiProperty({ type: [MovedLineDto] }) moved!: MovedLineDto[];
  @ApiProperty({ type: RefundDto, nullable: true }) refund!: RefundDto | null;
  @ApiProperty({ description: 'spent + inFunds + onLoan + refunded = amount.' }) conserved!: boolean;
}

export class PurposeLineDto {
  @ApiProperty() currency!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() purpose!: string;
  @ApiProperty({ type: 'string', nullable: true }) category!: string | null;
  @ApiProperty() amountMinor!: number;
}

export class SustainerAttributionDto {
  @ApiProperty({ format: 'uuid' }) sustainerId!: string;
  @ApiProperty() erased!: boolean;
  @ApiProperty() year!: number;
  @ApiProperty() asOf!: string;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/GiftTotalsDto' } }) totalsByCurrency!: Record<string, GiftTotalsDto>;
  @ApiProperty({ type: [PurposeLineDto] }) paidForByPurpose!: PurposeLineDto[];
  @ApiProperty({ type: [GiftTraceDto] }) gifts!: GiftTraceDto[];
}

export class ReceivedRowDto {
  @ApiProperty() group!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: 'integer', nullable: true }) amountMinor!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) gifts!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) sustainers!: number | null;
  @ApiProperty() fewerThanFive!: boolean;
}

export class TransparencyReceivedDto {
  @ApiProperty({ type: [ReceivedRowDto] }) byMonth!: ReceivedRowDto[];
  @ApiProperty({ type: [ReceivedRowDto] }) byKind!: ReceivedRowDto[];
  @ApiProperty({ type: [ReceivedRowDto] }) total!: ReceivedRowDto[];
  @ApiProperty({
    type: 'object', additionalProperties: { type: 'integer', nullable: true },
    description: 'Refunded in the period, per currency; null (withheld) when the refunds went to fewer than five sustainers.',
  })
  refundedMinor!: Record<string, number | null>;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) otherIncome!: object[];
}

export class TransparencySpentDto {
  @ApiProperty({ type: 'array', items: { type: 'object' } }) byProgram!: object[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) byCategory!: object[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) totalByCurrency!: Record<string, number>;
}

export class LabourDto {
  @ApiProperty() exchanges!: number;
  @ApiProperty() minutes!: number;
  @ApiProperty() hours!: number;
}

export class TransparencyReportDto {
  @ApiProperty() period!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ enum: ['cash'] }) basis!: string;
  @ApiProperty() minimumGroupSize!: number;
  @ApiProperty({ type: TransparencyReceivedDto }) received!: TransparencyReceivedDto;
  @ApiProperty({ type: TransparencySpentDto }) spent!: TransparencySpentDto;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) restrictedReleased!: object[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) landTrustProjectsCompleted!: object[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) lending!: object[];
  @ApiProperty({ type: LabourDto }) labour!: LabourDto;
}

export class StatementOfActivitiesListDto {
  @ApiProperty() period!: string;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'One statement per currency.' }) statements!: object[];
}

export class FinancialPositionListDto {
  @ApiProperty() asOf!: string;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'One statement per currency.' }) statements!: object[];
}
