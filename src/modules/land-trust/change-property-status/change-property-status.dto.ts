import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Length } from 'class-validator';
import { IsCleanText, OptionalField } from '../../../http/dto-rules';
import { PROPERTY_STATUSES } from '../property/property.decider';

export class ChangePropertyStatusDto {
  @ApiProperty({ enum: PROPERTY_STATUSES }) @IsIn(PROPERTY_STATUSES) status!: (typeof PROPERTY_STATUSES)[number];
  @ApiPropertyOptional({ maxLength: 500 }) @OptionalField() @IsCleanText() @Length(1, 500) reason?: string;
}
