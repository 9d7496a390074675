import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HttpCommonModule } from '../../http/http-common.module';
import { ClosePeriodController } from '../ledger/close-period/close-period.controller';
import { CloseFundController } from './close-fund/close-fund.controller';
import { FundsLifecycle } from './funds-lifecycle';
import { FundsQueryController, GetFundHandler, ListFundsHandler } from './list-funds/funds-query.controller';
import { MoveMoneyController } from './move-money/move-money.controller';
import { MovementWriter } from './movement/movement-writer';
import { OpenFundController } from './open-fund/open-fund.controller';
import { OpenFundHandler } from './open-fund/open-fund.handler';
import { BalancesController } from './read-balances/balances.controller';

@Module({
  imports: [CqrsModule, HttpCommonModule],
  controllers: [OpenFundController, FundsQueryController, CloseFundController, MoveMoneyController, BalancesController, ClosePeriodController],
  providers: [OpenFundHandler, ListFundsHandler, GetFundHandler, MovementWriter, FundsLifecycle],
})
export class FundsModule {}
