import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HttpCommonModule } from '../../http/http-common.module';
import { AccountabilityReader } from './accountability-reads';
import { ReadStatementsController } from './read-statements/read-statements.controller';
import { ReadFinancialPositionHandler, ReadStatementOfActivitiesHandler } from './read-statements/read-statements.handler';
import { ReadTransparencyReportController } from './read-transparency-report/read-transparency-report.controller';
import { ReadTransparencyReportHandler } from './read-transparency-report/read-transparency-report.handler';
import { TraceGiftController } from './trace-gift/trace-gift.controller';
import { TraceGiftHandler } from './trace-gift/trace-gift.handler';
import { TraceSustainerYearController } from './trace-sustainer-year/trace-sustainer-year.controller';
import { TraceSustainerYearHandler } from './trace-sustainer-year/trace-sustainer-year.handler';

const controllers = [TraceGiftController, TraceSustainerYearController, ReadTransparencyReportController, ReadStatementsController];
const queryHandlers = [TraceGiftHandler, TraceSustainerYearHandler, ReadTransparencyReportHandler, ReadStatementOfActivitiesHandler, ReadFinancialPositionHandler];

/**
 * Accountability for sustainers (issue 13): where every gift went, the public transparency report
 * and the ASC 958 statements. Reads only: the attribution read model is in `attribution/`, the
 * query functions beside it and in `reports/`, reusable by any read side.
 */
@Module({
  imports: [CqrsModule, HttpCommonModule],
  controllers,
  providers: [...queryHandlers, AccountabilityReader],
  exports: [AccountabilityReader],
})
export class AccountabilityModule {}
