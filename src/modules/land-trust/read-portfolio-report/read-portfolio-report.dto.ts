import { ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { OptionalField } from '../../../http/dto-rules';
import { AsOfQueryDto } from '../../../http/query.dto';
import { MAX_BUSINESS_DAY, MIN_BUSINESS_DAY } from '../../../shared/business-date';

const MIN_YEAR = Number(MIN_BUSINESS_DAY.slice(0, 4));
const MAX_YEAR = Number(MAX_BUSINESS_DAY.slice(0, 4));

/** A month (`2026-03`), a fiscal quarter (`FY2026-Q1`) or a fiscal year (`FY2026`) within the supported years. */
export function isPeriodName(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = /^(?:(\d{4})-(0[1-9]|1[0-2])|FY(\d{4})(?:-Q[1-4])?)$/.exec(value);
  if (!m) return false;
  const year = Number(m[1] ?? m[3]);
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

function IsPeriodName(): PropertyDecorator {
  return ValidateBy({
    name: 'isPeriodName',
    validator: {
      validate: isPeriodName,
      defaultMessage: () => `period must be a month (2026-03), a fiscal quarter (FY2026-Q1) or a fiscal year (FY2026), years ${MIN_YEAR} to ${MAX_YEAR}`,
    },
  });
}

export class PortfolioReportQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ description: 'Also what was spent within this period: `2026-09`, `FY2026-Q3` or `FY2026`.', example: 'FY2026-Q3' })
  @OptionalField()
  @IsPeriodName()
  period?: string;
}
