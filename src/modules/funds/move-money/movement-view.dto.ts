import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FundRestrictionViewDto } from '../list-funds/fund-view.dto';
import { DONATION_METHODS } from '../movement/movement.decider';

const INSTANT = { description: 'UTC instant.', example: '2026-03-01T10:00:00.000Z' };

export class PostingDto {
  @ApiProperty({ example: 'fund:general' }) from!: string;
  @ApiProperty({ example: 'vendor:Acme Plumbing' }) to!: string;
  @ApiProperty({ example: 12500 }) amountMinor!: number;
  @ApiProperty({ example: 'USD' }) asset!: string;
}

export class FundEffectDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty({ example: -12500 }) deltaMinor!: number;
}

export class RestrictionReleaseDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty() purpose!: string;
  @ApiProperty() amountMinor!: number;
}

export class ReversalViewDto {
  @ApiProperty() reason!: string;
  @ApiProperty() reversedBy!: string;
  @ApiProperty(INSTANT) effectiveAt!: string;
}

/** A movement as stewards and auditors read it back. */
export class MovementViewDto {
  @ApiProperty({ format: 'uuid' }) movementId!: string;
  @ApiProperty({ enum: ['transfer', 'disbursement', 'income', 'donation'] }) kind!: string;
  @ApiProperty({ enum: ['requested', 'posted', 'rejected', 'expired'] }) status!: string;
  @ApiProperty() amountMinor!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ ...INSTANT, description: 'Business date of the movement (UTC instant).' }) effectiveAt!: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty(INSTANT) requestedAt!: string;
  @ApiPropertyOptional() memo?: string;
  @ApiPropertyOptional({ format: 'uuid' }) fromFundId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) toFundId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) fundId?: string;
  @ApiPropertyOptional() payee?: string;
  @ApiPropertyOptional() category?: string;
  @ApiPropertyOptional() invoiceReference?: string;
  @ApiPropertyOptional() purpose?: string;
  @ApiPropertyOptional() source?: string;
  @ApiPropertyOptional() reference?: string;
  @ApiPropertyOptional({ format: 'uuid' }) sustainerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) pledgeId?: string;
  @ApiPropertyOptional({ enum: DONATION_METHODS }) method?: string;
  @ApiPropertyOptional() goodsServicesMinor?: number;
  @ApiPropertyOptional({ type: FundRestrictionViewDto }) restriction?: FundRestrictionViewDto;
  @ApiPropertyOptional(INSTANT) expiresAt?: string;
  @ApiProperty({ type: [PostingDto] }) postings!: PostingDto[];
  @ApiProperty({ type: [FundEffectDto] }) effects!: FundEffectDto[];
  @ApiPropertyOptional() approvedBy?: string;
  @ApiPropertyOptional() decidedBy?: string;
  @ApiPropertyOptional({ ...INSTANT, description: 'Business date of the approval or rejection (UTC instant).' }) decidedAt?: string;
  @ApiPropertyOptional() rejectionReason?: string;
  @ApiPropertyOptional(INSTANT) expiredAt?: string;
  @ApiProperty() reversed!: boolean;
  @ApiPropertyOptional({ type: ReversalViewDto }) reversal?: ReversalViewDto;
  @ApiPropertyOptional({ type: RestrictionReleaseDto }) restrictionRelease?: RestrictionReleaseDto;
}

export class MovementListDto {
  @ApiProperty({ type: [MovementViewDto] }) items!: MovementViewDto[];
  @ApiPropertyOptional({ description: 'Present when the page is full: pass as `after` for the next page.' }) next?: string;
}
