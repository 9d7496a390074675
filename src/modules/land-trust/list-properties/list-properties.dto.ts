import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { OptionalField } from '../../../http/dto-rules';
import { PageQueryDto } from '../../../http/query.dto';
import { PROPERTY_STATUSES } from '../property/property.decider';

export class ListPropertiesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PROPERTY_STATUSES }) @OptionalField() @IsIn(PROPERTY_STATUSES) status?: string;
}
