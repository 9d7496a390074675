import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Roles } from '../../../http/auth';
import { UuidParamPipe } from '../../../http/validation';
import { ProjectionRunner } from '../../../projections/projection-runner';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { sql } from '../../../projections/projection';
import { isIsoDate } from '../../../shared/calendar';
import { DomainError, NotFoundError } from '../../../shared/domain-error';
import { fundAccount } from '../../../shared/postings';
import { findFund } from '../fund/fund.projection';
import { balanceAsOf, balanceAtPosition, currentBalance, currentHeld, heldKey, postedKey } from '../../ledger/balances/balances.projection';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class BalanceQueryDto {
  @IsOptional() @Matches(DATE, { message: 'asOf must be a date (YYYY-MM-DD)' }) asOf?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) atPosition?: number;
}

export class JournalQueryDto {
  @IsOptional() @Matches(DATE, { message: 'from must be a date (YYYY-MM-DD)' }) from?: string;
  @IsOptional() @Matches(DATE, { message: 'to must be a date (YYYY-MM-DD)' }) to?: string;
  @IsOptional() @IsIn(['transfer', 'disbursement', 'income', 'donation', 'improvement-expense', 'improvement-expense-reversal', 'loan-disbursement', 'loan-repayment']) kind?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  /** Cursor: the `next` of the previous page. */
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}\|\d+$/) before?: string;
}

function checkDate(value: string | undefined, field: string): void {
  if (value !== undefined && !isIsoDate(value)) throw new DomainError('REQUEST.INVALID_DATE', `${field} is not a calendar date.`, 400, { field });
}

@ApiTags('balances')
@Controller('v1')
export class BalancesController {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly runner: ProjectionRunner,
  ) {}

  private fund(fundId: string) {
    const fund = findFund(this.readModels.db, fundId);
    if (!fund) throw new NotFoundError('FUND.NOT_FOUND', `No fund ${fundId}.`, { fundId });
    return fund;
  }

  /** Posted, pending (held by transfers awaiting approval) and available; now, as of a date, or at a log position. */
  @Get('funds/:fundId/balance')
  @Roles('steward', 'auditor')
  @ApiOkResponse({ description: 'postedMinor, pendingMinor, availableMinor; with asOf or atPosition, what they were then.' })
  balance(@Param('fundId', UuidParamPipe) fundId: string, @Query() query: BalanceQueryDto) {
    checkDate(query.asOf, 'asOf');
    if (query.asOf !== undefined && query.atPosition !== undefined) {
      throw new DomainError('REQUEST.CONFLICTING_FILTERS', 'Give asOf or atPosition, not both.', 400);
    }
    const db = this.readModels.db;
    const fund = this.fund(fundId);
    const account = fundAccount(fund.code);
    const read = db.transaction(() => {
      if (query.asOf !== undefined) {
        return { posted: balanceAsOf(db, postedKey(account, fund.currency), query.asOf), held: balanceAsOf(db, heldKey(fundId), query.asOf) };
      }
      if (query.atPosition !== undefined) {
        return {
          posted: balanceAtPosition(db, postedKey(account, fund.currency), query.atPosition),
          held: balanceAtPosition(db, heldKey(fundId), query.atPosition),
        };
      }
      return { posted: currentBalance(db, account, fund.currency), held: currentHeld(db, fundId) };
    });
    const { posted, held } = read();
    return {
      fundId,
      code: fund.code,
      currency: fund.currency,
      postedMinor: posted,
      pendingMinor: held,
      availableMinor: posted - held,
      ...(query.asOf !== undefined ? { asOf: query.asOf } : {}),
      ...(query.atPosition !== undefined ? { atPosition: query.atPosition } : {}),
      readModelPosition: this.runner.status().position,
    };
  }

  /** The fund's movements, newest business date first, a page at a time. */
  @Get('funds/:fundId/journal')
  @Roles('steward', 'auditor')
  journal(@Param('fundId', UuidParamPipe) fundId: string, @Query() query: JournalQueryDto) {
    checkDate(query.from, 'from');
    checkDate(query.to, 'to');
    const fund = this.fund(fundId);
    const limit = query.limit ?? 50;
    const [beforeDay, beforePosition] = query.before ? [query.before.slice(0, 10), Number(query.before.slice(11))] : [null, null];
    const rows = sql(
      this.readModels.db,
      `SELECT position, movement_id AS movementId, kind, event_type AS eventType, counterparty, asset, delta AS deltaMinor,
              effective_at AS effectiveAt, recorded_at AS recordedAt, effective_day AS day
       FROM fund_journal WHERE account = ?
         AND (? IS NULL OR effective_day >= ?) AND (? IS NULL OR effective_day <= ?) AND (? IS NULL OR kind = ?)
         AND (? IS NULL OR effective_day < ? OR (effective_day = ? AND position < ?))
       ORDER BY effective_day DESC, position DESC LIMIT ?`,
    ).all(
      fundAccount(fund.code), query.from ?? null, query.from ?? null, query.to ?? null, query.to ?? null, query.kind ?? null, query.kind ?? null,
      beforeDay, beforeDay, beforeDay, beforePosition, limit,
    ) as Array<{ day: string; position: number } & Record<string, unknown>>;
    const items = rows.map(({ day: _day, ...row }) => ({ ...row, reversal: row.eventType === 'MovementReversed' }));
    const last = rows[rows.length - 1];
    return { fundId, items, ...(rows.length === limit ? { next: `${last.day}|${last.position}` } : {}) };
  }

  /** Every account's balance per asset; per asset they sum to zero. */
  @Get('ledger/trial-balance')
  @Roles('steward', 'auditor')
  trialBalance(@Query() query: BalanceQueryDto) {
    checkDate(query.asOf, 'asOf');
    const db = this.readModels.db;
    const read = db.transaction(() => {
      const accounts = sql(db, 'SELECT account, asset, balance FROM account_balances ORDER BY asset, account').all() as Array<{
        account: string;
        asset: string;
        balance: number;
      }>;
      return accounts.map((a) => ({
        account: a.account,
        asset: a.asset,
        balanceMinor:
          query.asOf !== undefined
            ? balanceAsOf(db, postedKey(a.account, a.asset), query.asOf)
            : query.atPosition !== undefined
              ? balanceAtPosition(db, postedKey(a.account, a.asset), query.atPosition)
              : a.balance,
      }));
    });
    const accounts = read();
    const totals: Record<string, number> = {};
    for (const a of accounts) totals[a.asset] = (totals[a.asset] ?? 0) + a.balanceMinor;
    return {
      ...(query.asOf !== undefined ? { asOf: query.asOf } : {}),
      ...(query.atPosition !== undefined ? { atPosition: query.atPosition } : {}),
      accounts: accounts.filter((a) => a.balanceMinor !== 0),
      totalsByAsset: totals,
      readModelPosition: this.runner.status().position,
    };
  }
}
