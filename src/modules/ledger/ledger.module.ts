import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HttpCommonModule } from '../../http/http-common.module';
import { ClosePeriodController } from './close-period/close-period.controller';
import { ClosePeriodHandler } from './close-period/close-period.handler';
import { LedgerWrites } from './ledger-writes';
import { ListPeriodsController } from './list-periods/list-periods.controller';
import { ListPeriodsHandler } from './list-periods/list-periods.handler';
import { ReadTrialBalanceController } from './read-trial-balance/read-trial-balance.controller';
import { ReadTrialBalanceHandler } from './read-trial-balance/read-trial-balance.handler';

const controllers = [ReadTrialBalanceController, ClosePeriodController, ListPeriodsController];
const commandHandlers = [ClosePeriodHandler];
const queryHandlers = [ReadTrialBalanceHandler, ListPeriodsHandler];

/**
 * The ledger's own routes (the trial balance and the accounting periods), and the one
 * `LedgerWrites` every module posts into funds and checks periods through: global, so each module
 * injects it without importing this module's routes.
 */
@Global()
@Module({
  imports: [CqrsModule, HttpCommonModule],
  controllers,
  providers: [...commandHandlers, ...queryHandlers, LedgerWrites],
  exports: [LedgerWrites],
})
export class LedgerModule {}
