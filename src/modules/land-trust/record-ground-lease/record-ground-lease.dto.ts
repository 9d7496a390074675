import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Length, Max, Min } from 'class-validator';
import { IsBusinessDay, IsCleanText } from '../../../http/dto-rules';

export class GroundLeaseDto {
  @ApiProperty({ description: 'A pseudonymous household id (4 to 64 letters, digits, - or _), never a name.', example: 'hh-7f3a9c', maxLength: 64 })
  @IsCleanText()
  @Length(1, 64)
  householdId!: string;
  @ApiProperty({ example: '2026-01-01', format: 'date' }) @IsBusinessDay() startsOn!: string;
  @ApiProperty({ example: 99, type: 'integer', minimum: 1, maximum: 199 }) @IsInt() @Min(1) @Max(199) termYears!: number;
}
