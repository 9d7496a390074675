import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { DEFAULT_PAGE_SIZE } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import { ProjectionRunner } from '../../../projections/projection-runner';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { sql } from '../../../projections/projection';
import { DomainError, NotFoundError } from '../../../shared/domain-error';
import { fundAccount } from '../../../shared/postings';
import { findFund } from '../fund/fund.projection';
import { storedInstant } from '../fund/fund.decider';
import { balanceAsOf, balanceAtPosition, currentBalance, currentHeld, heldKey, postedKey } from '../../ledger/balances/balances.projection';
import { BalanceDto, BalanceQueryDto, JournalDto, JournalQueryDto, TrialBalanceDto } from './balances.dto';

/** `asOf` and `atPosition` are two ways to say "then": one at a time. */
function checkOneFilter(query: BalanceQueryDto): void {
  if (query.asOf !== undefined && query.atPosition !== undefined) {
    const message = 'Give asOf or atPosition, not both.';
    throw new DomainError('REQUEST.CONFLICTING_FILTERS', message, 400, { errors: [{ field: 'atPosition', messages: [message] }] });
  }
}

interface JournalRow {
  position: number;
  movementId: string;
  kind: string;
  eventType: string;
  counterparty: string;
  asset: string;
  deltaMinor: number;
  effectiveAt: string;
  recordedAt: string;
  day: string;
}

@ApiTags('balances')
@Controller('v1')
export class BalancesController {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly runner: ProjectionRunner,
    private readonly responder: WriteResponder,
  ) {}

  private fund(fundId: string) {
    const fund = findFund(this.readModels.db, fundId);
    if (!fund) throw new NotFoundError('FUND.NOT_FOUND', `No fund ${fundId}.`, { fundId });
    return fund;
  }

  /** Posted, pending (held by transfers awaiting approval) and available; now, as of a date, or at a log position. */
  @Get('funds/:fundId/balance')
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: "A fund's posted, pending and available balance: now, as of a business day, or at a log position" })
  @ApiParam({ name: 'fundId', format: 'uuid' })
  @ApiOkResponse({ type: BalanceDto, description: 'postedMinor, pendingMinor, availableMinor; with asOf or atPosition, what they were then.' })
  @ApiProblems(400, 401, 403, 404)
  async balance(@Param('fundId', UuidParamPipe) fundId: string, @Query() query: BalanceQueryDto): Promise<BalanceDto> {
    checkOneFilter(query);
    await this.responder.awaitPosition(query.minPosition);
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
  @ApiOperation({ summary: "A fund's entries, newest business day first, a page at a time" })
  @ApiParam({ name: 'fundId', format: 'uuid' })
  @ApiOkResponse({ type: JournalDto })
  @ApiProblems(400, 401, 403, 404)
  async journal(@Param('fundId', UuidParamPipe) fundId: string, @Query() query: JournalQueryDto): Promise<JournalDto> {
    await this.responder.awaitPosition(query.minPosition);
    const fund = this.fund(fundId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const [beforeDay, beforePosition] = query.after ? [query.after.slice(0, 10), Number(query.after.slice(11))] : [null, null];
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
    ) as Array<JournalRow>;
    // Business dates recorded before they were stored in one form are answered in that form too.
    const items = rows.map(({ day, ...row }) => ({
      ...row,
      effectiveAt: storedInstant(row.effectiveAt),
      effectiveOn: day,
      reversal: row.eventType === 'MovementReversed',
    }));
    const last = rows[rows.length - 1];
    return { fundId, items, ...(rows.length === limit ? { next: `${last.day}|${last.position}` } : {}) };
  }

  /** Every account's balance per asset; per asset they sum to zero. */
  @Get('ledger/trial-balance')
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: "Every account's balance per asset (they sum to zero): now, as of a business day, or at a log position" })
  @ApiOkResponse({ type: TrialBalanceDto })
  @ApiProblems(400, 401, 403)
  async trialBalance(@Query() query: BalanceQueryDto): Promise<TrialBalanceDto> {
    checkOneFilter(query);
    await this.responder.awaitPosition(query.minPosition);
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
