import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateBy } from 'class-validator';
import { ToInteger } from '../../http/dto-rules';
import { AsOfQueryDto, PositionQueryDto } from '../../http/query.dto';
import { MAX_BUSINESS_DAY, MIN_BUSINESS_DAY } from '../../shared/business-date';

const MIN_YEAR = Number(MIN_BUSINESS_DAY.slice(0, 4));
const MAX_YEAR = Number(MAX_BUSINESS_DAY.slice(0, 4));

/** A calendar year (`2026`), a month (`2026-03`), a fiscal quarter (`FY2026-Q1`) or a fiscal year (`FY2026`). */
export function isReportPeriod(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = /^(?:(\d{4})|(\d{4})-(0[1-9]|1[0-2])|FY(\d{4})(?:-Q[1-4])?)$/.exec(value);
  if (!m) return false;
  const year = Number(m[1] ?? m[2] ?? m[4]);
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

export class ReportPeriodQueryDto extends PositionQueryDto {
  @ApiProperty({
    description: 'A calendar year (`2026`), a month (`2026-03`), a fiscal quarter (`FY2026-Q1`) or a fiscal year (`FY2026`, named by the year it ends in).',
    example: '2026',
  })
  @ValidateBy({
    name: 'isReportPeriod',
    validator: {
      validate: isReportPeriod,
      defaultMessage: () => `period must be a year (2026), a month (2026-03), a fiscal quarter (FY2026-Q1) or a fiscal year (FY2026), years ${MIN_YEAR} to ${MAX_YEAR}`,
    },
  })
  period!: string;
}

export class SustainerAttributionQueryDto extends AsOfQueryDto {
  @ApiProperty({ type: 'integer', minimum: MIN_YEAR, maximum: MAX_YEAR, example: 2026, description: 'The calendar year the gifts were received in.' })
  @ToInteger()
  @IsInt()
  @Min(MIN_YEAR)
  @Max(MAX_YEAR)
  year!: number;
}
