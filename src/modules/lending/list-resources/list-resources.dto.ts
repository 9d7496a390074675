import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { ToBoolean, OptionalField } from '../../../http/dto-rules';
import { PageQueryDto } from '../../../http/query.dto';
import { RESOURCE_KINDS } from '../resource/resource.decider';
import { OptionalUuid, OptionalEnum } from '../shared/lending-dto-rules';

export class ListResourcesQueryDto extends PageQueryDto {
  @OptionalEnum(RESOURCE_KINDS) kind?: (typeof RESOURCE_KINDS)[number];
  @OptionalUuid('Only this cooperative\'s resources.') ownerId?: string;
  @ApiPropertyOptional({ type: 'boolean', description: '`true`: only resources available now; `false`: only the others.' })
  @OptionalField()
  @ToBoolean()
  @IsBoolean()
  available?: boolean;
}
