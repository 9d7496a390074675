import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { OptionalField } from '../../../http/dto-rules';
import { PageQueryDto } from '../../../http/query.dto';
import { IMPROVEMENT_STATUSES } from '../land-trust.dto';

export class ListImprovementsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @OptionalField() @IsUUID() propertyId?: string;
  @ApiPropertyOptional({ enum: IMPROVEMENT_STATUSES }) @OptionalField() @IsIn(IMPROVEMENT_STATUSES) status?: string;
}
// Projects page by improvement id: the inherited cursor `after` must also be one.
IsUUID(undefined, { message: 'after must be the `next` of a previous page (an improvement id)' })(ListImprovementsQueryDto.prototype, 'after');
ApiPropertyOptional({ description: 'Cursor: the `next` of the previous page (an improvement id).', format: 'uuid' })(ListImprovementsQueryDto.prototype, 'after');
