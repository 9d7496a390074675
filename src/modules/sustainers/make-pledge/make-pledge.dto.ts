import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsUUID, Matches, Max, Min } from 'class-validator';
import { IsBusinessDay, OptionalField } from '../../../http/dto-rules';
import { INTERVALS, Interval } from '../../../shared/schedule';
import { CURRENCY, CURRENCY_MESSAGE, MAX_MINOR, NotWith } from '../sustainers-dto-rules';

export class MakePledgeDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() sustainerId!: string;
  @ApiProperty({ format: 'uuid', description: 'The designated fund.' }) @IsUUID() fundId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_MINOR, description: 'Per instalment, in minor units.', example: 2500 })
  @IsInt()
  @Min(1)
  @Max(MAX_MINOR)
  amountMinor!: number;

  @ApiProperty({ example: 'USD', description: 'The fund\'s currency.' }) @Matches(CURRENCY, CURRENCY_MESSAGE) currency!: string;
  @ApiProperty({ enum: INTERVALS }) @IsIn(INTERVALS) interval!: Interval;
  @ApiProperty({ format: 'date', example: '2028-01-31', description: 'First due day (YYYY-MM-DD); not in a closed period.' }) @IsBusinessDay() startDate!: string;

  @ApiPropertyOptional({ format: 'date', example: '2028-12-31', description: 'Last day an instalment may fall due (inclusive); not with `instalments`.' })
  @OptionalField()
  @IsBusinessDay()
  endDate?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10_000, description: 'Or a number of instalments; not with `endDate`.' })
  @OptionalField()
  @IsInt()
  @Min(1)
  @Max(10_000)
  @NotWith('endDate')
  instalments?: number;
}
