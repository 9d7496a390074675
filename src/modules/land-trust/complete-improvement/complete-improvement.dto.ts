import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Length } from 'class-validator';
import { IsBusinessDay, IsCleanText, OptionalField } from '../../../http/dto-rules';
import { INSPECTIONS } from '../improvement/improvement.decider';

export class CompleteImprovementDto {
  @ApiProperty({ example: '2026-10-30', format: 'date', description: 'Not in the future, not in a closed period.' }) @IsBusinessDay() completedOn!: string;
  @ApiProperty({ enum: INSPECTIONS }) @IsIn(INSPECTIONS) inspection!: (typeof INSPECTIONS)[number];
  @ApiPropertyOptional({ maxLength: 1000, description: 'May span several lines.' }) @OptionalField() @IsCleanText({ multiline: true }) @Length(1, 1000) inspectionNotes?: string;
}
