import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HttpCommonModule } from '../../http/http-common.module';
import { AccountingExportsController } from './read-general-ledger/read-general-ledger.controller';
import { ReadGeneralLedgerHandler } from './read-general-ledger/read-general-ledger.handler';

/** The exports accountants import: the general ledger of a period and the chart of accounts. */
@Module({
  imports: [CqrsModule, HttpCommonModule],
  controllers: [AccountingExportsController],
  providers: [ReadGeneralLedgerHandler],
})
export class AccountingModule {}
