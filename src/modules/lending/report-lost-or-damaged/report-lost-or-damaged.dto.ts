import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Text, OptionalDay } from '../shared/lending-dto-rules';

export class LostOrDamagedDto {
  @ApiProperty({ enum: ['lost', 'damaged'] }) @IsIn(['lost', 'damaged']) outcome!: 'lost' | 'damaged';
  @Text(500) notes!: string;
  @OptionalDay('The business day it was lost or damaged (default today): on or after the check-out, not in the future, in an open period.') reportedOn?: string;
}
