import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RESTRICTION_CLASSES } from './fund/fund.decider';
import { DONATION_METHODS } from './movement/movement.decider';

const INSTANT = { description: 'UTC instant.', example: '2026-03-01T10:00:00.000Z' };

export class FundRestrictionViewDto {
  @ApiProperty({ enum: RESTRICTION_CLASSES }) class!: string;
  @ApiPropertyOptional({ example: 'water autonomy initiatives' }) purpose?: string;
  @ApiPropertyOptional({ description: 'Business day (YYYY-MM-DD).', example: '2027-12-31' }) restrictedUntil?: string;
}

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

/** A fund as every role may read it: no person's or cooperative's id is in it. */
export class FundViewDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty({ example: 'water-autonomy' }) code!: string;
  @ApiProperty({ example: 'Water autonomy' }) name!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ type: FundRestrictionViewDto }) restriction!: FundRestrictionViewDto;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: string;
  @ApiProperty({ description: 'UTC instant.', example: '2026-03-01T10:00:00.000Z' }) openedAt!: string;
}

export class FundListDto {
  @ApiProperty({ type: [FundViewDto] }) items!: FundViewDto[];
  @ApiPropertyOptional({ description: 'Present when the page is full: pass as `after` for the next page.' }) next?: string;
}

export class FundClosedDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty({ enum: ['closed'] }) status!: string;
  @ApiProperty({ description: 'Global log position of the write; pass as minPosition to read it back.' }) position!: number;
}

export class MovementCreatedDto {
  @ApiProperty({ format: 'uuid' }) movementId!: string;
  @ApiProperty({ enum: ['requested', 'posted', 'rejected', 'expired', 'reversed'] }) status!: string;
  @ApiProperty({ description: 'Global log position of the write; pass as minPosition to read it back.' }) position!: number;
}

export class BalanceDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty({ example: 'general' }) code!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ description: 'Posted money in minor units.' }) postedMinor!: number;
  @ApiProperty({ description: 'Held by pending outflows.' }) pendingMinor!: number;
  @ApiProperty({ description: 'postedMinor − pendingMinor.' }) availableMinor!: number;
  @ApiPropertyOptional({ description: 'Business day (YYYY-MM-DD), when asked for.' }) asOf?: string;
  @ApiPropertyOptional() atPosition?: number;
  @ApiProperty({ description: 'The log position the read models include.' }) readModelPosition!: number;
}

export class JournalEntryDto {
  @ApiProperty() position!: number;
  @ApiProperty() movementId!: string;
  @ApiProperty({ example: 'income' }) kind!: string;
  @ApiProperty({ example: 'MovementPosted' }) eventType!: string;
  @ApiProperty({ example: 'income:Community Foundation' }) counterparty!: string;
  @ApiProperty({ example: 'USD' }) asset!: string;
  @ApiProperty({ description: 'Signed change to the fund, minor units.' }) deltaMinor!: number;
  @ApiProperty({ description: 'Business date (UTC instant).', example: '2026-03-01T00:00:00.000Z' }) effectiveAt!: string;
  @ApiProperty({ description: 'Business day (YYYY-MM-DD) of effectiveAt.', example: '2026-03-01' }) effectiveOn!: string;
  @ApiProperty({ description: 'When the ledger recorded it (UTC instant).', example: '2026-03-02T09:00:00.000Z' }) recordedAt!: string;
  @ApiProperty() reversal!: boolean;
}

export class JournalDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty({ type: [JournalEntryDto] }) items!: JournalEntryDto[];
  @ApiPropertyOptional({ description: 'Present when the page is full: pass as `after` for the next page.', example: '2026-03-01|42' }) next?: string;
}
