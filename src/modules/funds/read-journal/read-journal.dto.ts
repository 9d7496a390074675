import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { IsBusinessDay, OptionalField } from '../../../http/dto-rules';
import { LimitParam, PositionQueryDto } from '../../../http/query.dto';

export const JOURNAL_KINDS = [
  'transfer',
  'disbursement',
  'income',
  'donation',
  'improvement-expense',
  'improvement-expense-reversal',
  'loan-disbursement',
  'loan-repayment',
] as const;

/**
 * A fund's entries, newest business day first; `limit` and `after` as in every listing (the
 * cursor here is `<day>|<position>`, as `next` answers it).
 */
export class JournalQueryDto extends PositionQueryDto {
  @LimitParam()
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: the `next` of the previous page.', example: '2026-03-01|42' })
  @OptionalField()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}\|\d{1,16}$/, { message: 'after must be the `next` of a previous page (YYYY-MM-DD|position)' })
  after?: string;

  @ApiPropertyOptional({ description: 'From this business day (YYYY-MM-DD), inclusive.', example: '2026-01-01' })
  @OptionalField()
  @IsBusinessDay()
  from?: string;

  @ApiPropertyOptional({ description: 'To this business day (YYYY-MM-DD), inclusive.', example: '2026-12-31' })
  @OptionalField()
  @IsBusinessDay()
  to?: string;

  @ApiPropertyOptional({ enum: JOURNAL_KINDS })
  @OptionalField()
  @IsIn(JOURNAL_KINDS)
  kind?: string;
}
