import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { RESOURCE_BASE_STATUSES } from '../resource/resource.decider';
import { OptionalText } from '../shared/lending-dto-rules';

export class ChangeResourceStatusDto {
  @ApiProperty({ enum: RESOURCE_BASE_STATUSES }) @IsIn(RESOURCE_BASE_STATUSES) status!: (typeof RESOURCE_BASE_STATUSES)[number];
  @OptionalText(500, 'Required when retired.') reason?: string;
}
