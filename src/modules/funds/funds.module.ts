import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HttpCommonModule } from '../../http/http-common.module';
import { ApproveMovementController } from './approve-movement/approve-movement.controller';
import { ApproveMovementHandler } from './approve-movement/approve-movement.handler';
import { CloseFundController } from './close-fund/close-fund.controller';
import { CloseFundHandler } from './close-fund/close-fund.handler';
import { ExpireMovementHandler } from './expire-movement/expire-movement.handler';
import { FundsLifecycle } from './funds-lifecycle';
import { FundsWrites } from './funds-writes';
import { GetFundController } from './get-fund/get-fund.controller';
import { GetFundHandler } from './get-fund/get-fund.handler';
import { GetMovementController } from './get-movement/get-movement.controller';
import { GetMovementHandler } from './get-movement/get-movement.handler';
import { ListFundsController } from './list-funds/list-funds.controller';
import { ListFundsHandler } from './list-funds/list-funds.handler';
import { ListMovementsController } from './list-movements/list-movements.controller';
import { ListMovementsHandler } from './list-movements/list-movements.handler';
import { OpenFundController } from './open-fund/open-fund.controller';
import { OpenFundHandler } from './open-fund/open-fund.handler';
import { ReadBalanceController } from './read-balance/read-balance.controller';
import { ReadBalanceHandler } from './read-balance/read-balance.handler';
import { ReadJournalController } from './read-journal/read-journal.controller';
import { ReadJournalHandler } from './read-journal/read-journal.handler';
import { RecordIncomeController } from './record-income/record-income.controller';
import { RecordIncomeHandler } from './record-income/record-income.handler';
import { RejectMovementController } from './reject-movement/reject-movement.controller';
import { RejectMovementHandler } from './reject-movement/reject-movement.handler';
import { RequestDisbursementController } from './request-disbursement/request-disbursement.controller';
import { RequestDisbursementHandler } from './request-disbursement/request-disbursement.handler';
import { RequestTransferController } from './request-transfer/request-transfer.controller';
import { RequestTransferHandler } from './request-transfer/request-transfer.handler';
import { ReverseMovementController } from './reverse-movement/reverse-movement.controller';
import { ReverseMovementHandler } from './reverse-movement/reverse-movement.handler';

/**
 * In the order the OpenAPI document lists their routes (it lists them as they are registered):
 * a path shared by two controllers (POST and GET /v1/transfers) is listed where it first appears.
 */
const controllers = [
  OpenFundController,
  ListFundsController,
  GetFundController,
  CloseFundController,
  RequestTransferController,
  RequestDisbursementController,
  RecordIncomeController,
  ApproveMovementController,
  RejectMovementController,
  ReverseMovementController,
  ListMovementsController,
  GetMovementController,
  ReadBalanceController,
  ReadJournalController,
];

const commandHandlers = [
  OpenFundHandler,
  CloseFundHandler,
  RequestTransferHandler,
  RequestDisbursementHandler,
  RecordIncomeHandler,
  ApproveMovementHandler,
  RejectMovementHandler,
  ExpireMovementHandler,
  ReverseMovementHandler,
];

const queryHandlers = [ListFundsHandler, GetFundHandler, ListMovementsHandler, GetMovementHandler, ReadBalanceHandler, ReadJournalHandler];

/** What the handlers share, and the seeding and expiry of the module. */
const services = [FundsWrites, FundsLifecycle];

@Module({
  imports: [CqrsModule, HttpCommonModule],
  controllers,
  providers: [...commandHandlers, ...queryHandlers, ...services],
})
export class FundsModule {}
