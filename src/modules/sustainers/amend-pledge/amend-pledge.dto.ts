import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { OptionalField } from '../../../http/dto-rules';
import { INTERVALS, Interval } from '../../../shared/schedule';
import { PledgeFromDto } from '../pledge-change.dto';
import { MAX_MINOR } from '../sustainers-dto-rules';

export class AmendPledgeDto extends PledgeFromDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_MINOR, description: 'The new amount per instalment.' })
  @IsInt()
  @Min(1)
  @Max(MAX_MINOR)
  amountMinor!: number;

  @ApiPropertyOptional({ enum: INTERVALS, description: 'Defaults to the current interval.' })
  @OptionalField()
  @IsIn(INTERVALS)
  interval?: Interval;
}
