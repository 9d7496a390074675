import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';
import { IsBusinessInstant, OptionalField } from '../../../http/dto-rules';
import { DONATION_METHODS, DonationMethod } from '../../funds/funds.domain';
import { CURRENCY, CURRENCY_MESSAGE, MAX_MINOR } from '../sustainers-dto-rules';

export class RecordDonationDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() sustainerId!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The pledge this gift fulfils.' }) @OptionalField() @IsUUID() pledgeId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required without a `pledgeId`; defaults to the pledge\'s designated fund.' })
  @ValidateIf((o: RecordDonationDto) => o.pledgeId === undefined || o.fundId !== undefined)
  @IsDefined({ message: 'fundId is required when no pledgeId is given' })
  @IsUUID()
  fundId?: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_MINOR, example: 2500 })
  @IsInt()
  @Min(1)
  @Max(MAX_MINOR)
  amountMinor!: number;

  @ApiProperty({ example: 'USD', description: 'The fund\'s (and the pledge\'s) currency.' }) @Matches(CURRENCY, CURRENCY_MESSAGE) currency!: string;
  @ApiProperty({ enum: DONATION_METHODS }) @IsIn(DONATION_METHODS) method!: DonationMethod;

  @ApiProperty({ description: 'When the money arrived (YYYY-MM-DD or an ISO 8601 instant), in an open period; receipts are dated by it.', example: '2028-01-31' })
  @IsBusinessInstant()
  effectiveAt!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_MINOR, description: 'Fair value of goods or services given in return, minor units (at most the amount).' })
  @OptionalField()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  goodsServicesMinor?: number;
}
