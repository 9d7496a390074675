import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { IsBusinessDay, ToInteger, OptionalField } from '../../../http/dto-rules';
import { AsOfQueryDto, LimitParam, PositionQueryDto } from '../../../http/query.dto';

/** Now (default), as of a business day (`asOf`, the whole UTC day included), or at a log position. */
export class BalanceQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'The balance right after this log position; not with asOf.' })
  @OptionalField()
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  atPosition?: number;
}

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

export class BalanceDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty({ example: 'general' }) code!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ description: 'Posted money in minor units.' }) postedMinor!: number;
  @ApiProperty({ description: 'Held by pending outflows.' }) pendingMinor!: number;
  @ApiProperty({ description: 'postedMinor − pendingMinor.' }) availableMinor!: number;
  @ApiPropertyOptional({ description: 'Business day (YYYY-MM-DD), when asked for.' }) asOf?: string;
  @ApiPropertyOptional() atPosition?: number;
  @ApiProperty({ description: 'The log position the read models include.' }) readModelPosition!: number;
}

export class JournalEntryDto {
  @ApiProperty() position!: number;
  @ApiProperty() movementId!: string;
  @ApiProperty({ example: 'income' }) kind!: string;
  @ApiProperty({ example: 'MovementPosted' }) eventType!: string;
  @ApiProperty({ example: 'income:Community Foundation' }) counterparty!: string;
  @ApiProperty({ example: 'USD' }) asset!: string;
  @ApiProperty({ description: 'Signed change to the fund, minor units.' }) deltaMinor!: number;
  @ApiProperty({ description: 'Business date (UTC instant).', example: '2026-03-01T00:00:00.000Z' }) effectiveAt!: string;
  @ApiProperty({ description: 'Business day (YYYY-MM-DD) of effectiveAt.', example: '2026-03-01' }) effectiveOn!: string;
  @ApiProperty({ description: 'When the ledger recorded it (UTC instant).', example: '2026-03-02T09:00:00.000Z' }) recordedAt!: string;
  @ApiProperty() reversal!: boolean;
}

export class JournalDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty({ type: [JournalEntryDto] }) items!: JournalEntryDto[];
  @ApiPropertyOptional({ description: 'Present when the page is full: pass as `after` for the next page.', example: '2026-03-01|42' }) next?: string;
}

export class AccountBalanceDto {
  @ApiProperty({ example: 'fund:general' }) account!: string;
  @ApiProperty({ example: 'USD' }) asset!: string;
  @ApiProperty() balanceMinor!: number;
}

export class TrialBalanceDto {
  @ApiPropertyOptional({ description: 'Business day (YYYY-MM-DD), when asked for.' }) asOf?: string;
  @ApiPropertyOptional() atPosition?: number;
  @ApiProperty({ type: [AccountBalanceDto], description: 'Accounts with a non-zero balance.' }) accounts!: AccountBalanceDto[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { USD: 0 }, description: 'Per asset; always zero.' })
  totalsByAsset!: Record<string, number>;
  @ApiProperty() readModelPosition!: number;
}
