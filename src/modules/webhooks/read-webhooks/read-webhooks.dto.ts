import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { OptionalField } from '../../../http/dto-rules';
import { PageQueryDto } from '../../../http/query.dto';

export class ListWebhooksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['active', 'paused', 'deleted'], description: 'Default: active and paused.' })
  @OptionalField()
  @IsIn(['active', 'paused', 'deleted'])
  status?: string;
}
