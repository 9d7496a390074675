import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_MINUTES } from '../labour/labour-exchange.decider';
import { Text, Day, Uuid } from '../shared/lending-dto-rules';

export class ProposeHoursDto {
  @Uuid('The cooperative whose members did the work.') workerId!: string;
  @Uuid('The cooperative the work was done for.') receiverId!: string;
  @ApiProperty({ type: 'integer', example: 480, minimum: 1, maximum: MAX_MINUTES }) @IsInt() @Min(1) @Max(MAX_MINUTES) minutes!: number;
  @Day('2027-01-10', 'Not in the future, in an open period (also when the counterpart confirms).') workedOn!: string;
  @Text(500) description!: string;
}
