import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { ToInteger } from '../../../http/dto-rules';
import { PositionQueryDto } from '../../../http/query.dto';
import { MAX_YEAR, MIN_YEAR } from '../sustainers-dto-rules';

export class StatementQueryDto extends PositionQueryDto {
  @ApiProperty({ type: 'integer', minimum: MIN_YEAR, maximum: MAX_YEAR, example: 2028, description: 'The calendar year.' })
  @ToInteger()
  @IsInt()
  @Min(MIN_YEAR)
  @Max(MAX_YEAR)
  year!: number;
}
