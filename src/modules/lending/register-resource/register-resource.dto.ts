import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { RESOURCE_BASE_STATUSES, RESOURCE_KINDS } from '../resource/resource.decider';
import { Text, OptionalText, Uuid, OptionalEnum } from '../shared/lending-dto-rules';

export class RegisterResourceDto {
  @Uuid() ownerId!: string;
  @ApiProperty({ enum: RESOURCE_KINDS }) @IsIn(RESOURCE_KINDS) kind!: (typeof RESOURCE_KINDS)[number];
  @Text(500, 'Stand mixer, 20 l') description!: string;
  @Text(300, 'good') condition!: string;
  @OptionalEnum(RESOURCE_BASE_STATUSES, 'Default available.') status?: (typeof RESOURCE_BASE_STATUSES)[number];
  @OptionalText(500, 'Required when retired.') reason?: string;
}
