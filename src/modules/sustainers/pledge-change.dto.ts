import { ApiProperty } from '@nestjs/swagger';
import { Length } from 'class-validator';
import { IsBusinessDay, IsCleanText } from '../../http/dto-rules';

/** Every change of a pledge takes effect from a business day, on or after the last change, in an open period. */
export class PledgeFromDto {
  @ApiProperty({ format: 'date', description: 'The business day the change takes effect (YYYY-MM-DD), not in a closed period.', example: '2028-06-01' })
  @IsBusinessDay()
  from!: string;
}

/** Cancellation and write-off: a reason is required (it is what the record is for). */
export class EndPledgeDto extends PledgeFromDto {
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'moved away' })
  @IsCleanText()
  @Length(1, 500)
  reason!: string;
}
