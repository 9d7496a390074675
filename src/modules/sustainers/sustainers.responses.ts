import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INTERVALS } from '../../shared/schedule';
import { DONATION_METHODS } from '../funds/funds.domain';

/**
 * What the sustainers routes answer, for the OpenAPI document. Business dates are `YYYY-MM-DD`,
 * instants ISO 8601 in UTC with `Z`; amounts are integer minor units.
 */

const DAY = { type: 'string', format: 'date', example: '2028-01-31' } as const;
const INSTANT = { type: 'string', format: 'date-time', example: '2028-01-31T10:00:00.000Z' } as const;
const MINOR = { type: 'integer', example: 2500 } as const;
const PLEDGE_STATUSES = ['on-track', 'behind', 'lapsed', 'paused', 'completed', 'cancelled', 'written-off'];

class Written {
  @ApiProperty({ type: 'integer', description: 'Global log position of the command\'s last event (also `Ledger-Position`).' })
  position!: number;
}

export class SustainerRegisteredDto extends Written {
  @ApiProperty({ format: 'uuid' }) sustainerId!: string;
}

export class SustainerErasedDto extends Written {
  @ApiProperty({ format: 'uuid' }) sustainerId!: string;
  @ApiProperty({ enum: ['erased'] }) status!: 'erased';
}

export class SustainerDto {
  @ApiProperty({ format: 'uuid' }) sustainerId!: string;
  @ApiProperty() anonymous!: boolean;
  @ApiProperty() erased!: boolean;
  @ApiProperty({ type: 'string', nullable: true, description: 'null after erasure, and for an anonymous sustainer unless the reader is a steward or the sustainer.' })
  displayName!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'Only to a steward or the sustainer.' }) email!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'Only to a steward or the sustainer.' }) postalAddress!: string | null;
  @ApiProperty(INSTANT) registeredAt!: string;
  @ApiProperty({ ...INSTANT, nullable: true }) erasedAt!: string | null;
}

export class SustainerListDto {
  @ApiProperty({ type: [SustainerDto] }) items!: SustainerDto[];
  @ApiPropertyOptional({ description: 'The `after` of the next page; absent on the last page.' }) next?: string;
}

export class PledgeMadeDto extends Written {
  @ApiProperty({ format: 'uuid' }) pledgeId!: string;
}

export class PledgeChangedDto extends Written {
  @ApiProperty({ format: 'uuid' }) pledgeId!: string;
  @ApiProperty({ enum: ['active', 'paused', 'cancelled', 'written-off'] }) status!: string;
}

class PledgeTermsDto {
  @ApiProperty(DAY) from!: string;
  @ApiProperty(MINOR) amountMinor!: number;
  @ApiProperty({ enum: INTERVALS }) interval!: string;
}

class PauseWindowDto {
  @ApiProperty(DAY) from!: string;
  @ApiPropertyOptional({ ...DAY, description: 'Exclusive; absent while paused.' }) until?: string;
}

class DueDto {
  @ApiProperty(DAY) dueOn!: string;
  @ApiProperty(MINOR) amountMinor!: number;
}

class InstalmentDto extends DueDto {
  @ApiProperty(MINOR) coveredMinor!: number;
  @ApiProperty({ enum: ['paid', 'part-paid', 'unpaid', 'upcoming'] }) state!: string;
}

export class PledgeDto {
  @ApiProperty({ format: 'uuid' }) pledgeId!: string;
  @ApiProperty({ format: 'uuid' }) sustainerId!: string;
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty() fundCode!: string;
  @ApiProperty(DAY) startDate!: string;
  @ApiProperty({ ...DAY, nullable: true }) endDate!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) instalments!: number | null;
  @ApiProperty({ type: [PledgeTermsDto] }) terms!: PledgeTermsDto[];
  @ApiProperty({ type: [PauseWindowDto] }) pauses!: PauseWindowDto[];
  @ApiProperty({ ...DAY, nullable: true }) endedOn!: string | null;
  @ApiProperty({ type: 'integer' }) lapseAfterInstalments!: number;
  @ApiProperty(DAY) asOf!: string;
  @ApiProperty({ enum: PLEDGE_STATUSES }) status!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty(MINOR) expectedMinor!: number;
  @ApiProperty(MINOR) receivedMinor!: number;
  @ApiProperty(MINOR) arrearsMinor!: number;
  @ApiProperty(MINOR) aheadMinor!: number;
  @ApiProperty({ type: DueDto, nullable: true }) nextDue!: DueDto | null;
  @ApiProperty({ type: 'integer', nullable: true }) totalPromisedMinor!: number | null;
  @ApiProperty(MINOR) writtenOffMinor!: number;
  @ApiProperty({ type: [InstalmentDto] }) schedule!: InstalmentDto[];
}

export class PledgeListDto {
  @ApiProperty({ type: [PledgeDto] }) items!: PledgeDto[];
  @ApiPropertyOptional({ description: 'The `after` of the next page; absent on the last page.' }) next?: string;
}

export class DonationRecordedDto extends Written {
  @ApiProperty({ format: 'uuid', description: 'The donation id, which is its movement id.' }) donationId!: string;
  @ApiProperty({ format: 'uuid' }) movementId!: string;
  @ApiProperty({ enum: ['posted'] }) status!: string;
}

export class DonationRefundedDto extends Written {
  @ApiProperty({ format: 'uuid' }) movementId!: string;
  @ApiProperty({ enum: ['reversed'] }) status!: string;
}

class GiftRestrictionDto {
  @ApiProperty({ enum: ['unrestricted', 'board-designated', 'donor-restricted'] }) class!: string;
  @ApiPropertyOptional() purpose?: string;
  @ApiPropertyOptional(DAY) restrictedUntil?: string;
}

export class DonationDto {
  @ApiProperty({ format: 'uuid' }) donationId!: string;
  @ApiProperty({ format: 'uuid' }) sustainerId!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'As the sustainer view shows it to this reader.' }) sustainerName!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) pledgeId!: string | null;
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty({ type: 'string', nullable: true }) fundCode!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) fundName!: string | null;
  @ApiProperty(MINOR) amountMinor!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ enum: DONATION_METHODS }) method!: string;
  @ApiProperty(DAY) receivedOn!: string;
  @ApiProperty(MINOR) goodsServicesValueMinor!: number;
  @ApiProperty({ type: GiftRestrictionDto, description: 'The fund\'s restriction at the time of the gift.' }) restriction!: GiftRestrictionDto;
  @ApiProperty({ ...DAY, nullable: true }) refundedOn!: string | null;
}

export class DonationListDto {
  @ApiProperty({ type: [DonationDto] }) items!: DonationDto[];
  @ApiPropertyOptional({ description: 'The `after` of the next page; absent on the last page.' }) next?: string;
}

class AcknowledgementDto {
  @ApiProperty() organisationName!: string;
  @ApiProperty(DAY) dateReceived!: string;
  @ApiProperty(MINOR) amountMinor!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty() goodsOrServicesProvided!: boolean;
  @ApiProperty(MINOR) goodsServicesValueMinor!: number;
  @ApiProperty({ description: 'The sentence to print on the acknowledgement.' }) statement!: string;
}

class StatementGiftDto {
  @ApiProperty({ format: 'uuid' }) donationId!: string;
  @ApiProperty(DAY) dateReceived!: string;
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty({ type: 'string', nullable: true }) fundCode!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) fundName!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) pledgeId!: string | null;
  @ApiProperty(MINOR) amountMinor!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ enum: DONATION_METHODS }) method!: string;
  @ApiProperty() goodsOrServicesProvided!: boolean;
  @ApiProperty(MINOR) goodsServicesValueMinor!: number;
  @ApiProperty({ ...MINOR, description: 'Amount less the value of goods or services given back.' }) contributionMinor!: number;
  @ApiProperty({ ...DAY, nullable: true }) refundedOn!: string | null;
  @ApiProperty({ type: AcknowledgementDto, nullable: true, description: 'For a kept USD gift of 250 USD or more.' }) acknowledgement!: AcknowledgementDto | null;
  @ApiProperty({ description: 'A USD payment over 75 USD that bought goods or services.' }) quidProQuoDisclosureRequired!: boolean;
}

class CurrencyTotalsDto {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty(MINOR) receivedMinor!: number;
  @ApiProperty(MINOR) refundedMinor!: number;
  @ApiProperty(MINOR) netMinor!: number;
  @ApiProperty(MINOR) goodsServicesValueMinor!: number;
}

class FundGiftTotalsDto extends CurrencyTotalsDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty({ type: 'string', nullable: true }) fundCode!: string | null;
}

class PledgedDto {
  @ApiProperty({ format: 'uuid' }) pledgeId!: string;
  @ApiProperty() fundCode!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ ...MINOR, description: 'Instalments falling due in the year: a promise, not cash.' }) promisedMinor!: number;
  @ApiProperty(MINOR) receivedMinor!: number;
}

export class StatementDto {
  @ApiProperty({ type: SustainerDto }) sustainer!: SustainerDto;
  @ApiProperty() organisationName!: string;
  @ApiProperty({ type: 'integer' }) year!: number;
  @ApiProperty({ type: [StatementGiftDto] }) gifts!: StatementGiftDto[];
  @ApiProperty({ type: [FundGiftTotalsDto] }) totalsByFund!: FundGiftTotalsDto[];
  @ApiProperty({ type: [CurrencyTotalsDto] }) totals!: CurrencyTotalsDto[];
  @ApiProperty({ type: [PledgedDto] }) pledges!: PledgedDto[];
}

class FundTotalsRowDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty({ type: 'string', nullable: true }) fundCode!: string | null;
  @ApiProperty({ example: '2028-Q1', description: '`YYYY-MM`, `YYYY-Qn` or `YYYY`.' }) period!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty(MINOR) receivedMinor!: number;
  @ApiProperty(MINOR) refundedMinor!: number;
  @ApiProperty(MINOR) netMinor!: number;
  @ApiProperty({ ...MINOR, description: 'Pledge instalments falling due in the period, apart from what arrived.' }) promisedMinor!: number;
}

export class FundTotalsDto {
  @ApiProperty({ type: 'integer' }) year!: number;
  @ApiProperty({ enum: ['month', 'quarter', 'year'] }) by!: string;
  @ApiProperty({ type: [FundTotalsRowDto] }) items!: FundTotalsRowDto[];
}
