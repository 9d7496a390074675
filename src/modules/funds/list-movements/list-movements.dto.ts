import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { OptionalField } from '../../../http/dto-rules';
import { PageQueryDto } from '../../../http/query.dto';
import type { MovementStatus } from '../movement-views/movement-views.projection';

const STATUSES: readonly MovementStatus[] = ['requested', 'posted', 'rejected', 'expired'];

/** Movements newest first; `after` is the `next` of the previous page (a movement id). */
export class ListMovementsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @OptionalField()
  @IsIn(STATUSES)
  status?: MovementStatus;
}
