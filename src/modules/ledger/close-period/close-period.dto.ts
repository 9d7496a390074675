import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export class ClosePeriodDto {
  @ApiProperty({ example: '2026-03', description: 'A month (2026-03), a fiscal quarter (FY2026-Q1) or a fiscal year (FY2026).' })
  @IsString()
  @Matches(/^(\d{4}-\d{2}|FY\d{4}(-Q[1-4])?)$/, { message: 'period must look like 2026-03, FY2026-Q1 or FY2026' })
  period!: string;
}
