import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsBusinessInstant, IsCleanText, OptionalField } from '../../../http/dto-rules';
import { PHASES } from '../improvement/improvement.decider';
import { AmountMinor, BACK_DATED, CURRENCY, FundingLineDto, FundingLines } from '../land-trust.dto';

export class PlanImprovementDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() propertyId!: string;
  @ApiProperty({ maxLength: 500, description: 'May span several lines.' }) @IsCleanText({ multiline: true }) @Length(1, 500) description!: string;
  @ApiProperty({ enum: PHASES }) @IsIn(PHASES) phase!: (typeof PHASES)[number];
  @AmountMinor('Positive whole number of minor units.') estimateMinor!: number;
  @ApiProperty({ example: 'USD' }) @IsString() @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code such as USD' }) currency!: string;
  @FundingLines('Drawn in this order; together at least the estimate.') fundingLines!: FundingLineDto[];
  @ApiPropertyOptional({ description: BACK_DATED, example: '2025-03-01' }) @OptionalField() @IsBusinessInstant() effectiveAt?: string;
}
