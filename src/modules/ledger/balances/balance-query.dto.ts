import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { OptionalField, ToInteger } from '../../../http/dto-rules';
import { AsOfQueryDto } from '../../../http/query.dto';

/** Now (default), as of a business day (`asOf`, the whole UTC day included), or at a log position. */
export class BalanceQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'The balance right after this log position; not with asOf.' })
  @OptionalField()
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  atPosition?: number;
}
