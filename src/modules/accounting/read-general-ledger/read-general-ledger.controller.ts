import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LEDGER_CONFIG } from '../../../commands/ledger-core.module';
import type { LedgerConfig } from '../../../config';
import { Roles } from '../../../http/auth';
import { ApiCsvOk, ApiProblems } from '../../../http/openapi';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { WriteResponder } from '../../../http/write-responder';
import { chartCsv, generalLedgerCsv } from '../accounting-csv';
import { ChartOfAccountsDto, GeneralLedgerDto } from '../accounting.responses';
import { chartOfAccounts } from '../general-ledger/general-ledger.queries';
import { GeneralLedgerQueryDto, LayoutQueryDto } from './read-general-ledger.dto';
import { GeneralLedger, ReadGeneralLedgerQuery } from './read-general-ledger.handler';

const wantsCsv = (accept: string | undefined) => /\btext\/csv\b/i.test(accept ?? '');

@ApiTags('accounting')
@Controller('v1/exports')
export class AccountingExportsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly responder: WriteResponder,
    private readonly readModels: ReadModelDatabase,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get('general-ledger')
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: 'The general ledger of a period on the chart of accounts: debit and credit lines that balance per currency' })
  @ApiCsvOk({ type: GeneralLedgerDto, description: 'Lines by business day and journal entry. With CSV, `layout` picks generic, GnuCash or QuickBooks Online columns.' })
  @ApiProblems(400, 401, 403, 422)
  async generalLedger(@Query() query: GeneralLedgerQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.responder.awaitPosition(query.minPosition);
    const ledger = await this.queries.execute<ReadGeneralLedgerQuery, GeneralLedger>(new ReadGeneralLedgerQuery(query.from, query.to));
    if (!wantsCsv(accept)) return ledger;
    const layout = query.layout ?? 'generic';
    void reply.header('content-type', 'text/csv; charset=utf-8');
    void reply.header('content-disposition', `attachment; filename="general-ledger-${query.from}-${query.to}-${layout}.csv"`);
    return generalLedgerCsv(ledger.lines, layout);
  }

  @Get('chart-of-accounts')
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: 'The chart of accounts the general ledger uses: fixed accounts and one per fund' })
  @ApiCsvOk({ type: ChartOfAccountsDto, description: 'With CSV, `layout` picks generic, GnuCash (its account import) or QuickBooks Online columns.' })
  @ApiProblems(400, 401, 403)
  async chart(@Query() query: LayoutQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.responder.awaitPosition(query.minPosition);
    const accounts = chartOfAccounts(this.readModels.db, this.config.seedCurrency);
    if (!wantsCsv(accept)) return { accounts };
    const layout = query.layout ?? 'generic';
    void reply.header('content-type', 'text/csv; charset=utf-8');
    void reply.header('content-disposition', `attachment; filename="chart-of-accounts-${layout}.csv"`);
    return chartCsv(accounts, layout);
  }
}
