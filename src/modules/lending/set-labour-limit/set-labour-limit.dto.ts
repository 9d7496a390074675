import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export class LabourLimitDto {
  @ApiProperty({ type: 'integer', example: 2400, minimum: 0, maximum: 10_000_000, description: 'Minutes; a balance past it either way is flagged.' })
  @IsInt() @Min(0) @Max(10_000_000) limitMinutes!: number;
}
