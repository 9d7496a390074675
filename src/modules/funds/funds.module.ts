import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HttpCommonModule } from '../../http/http-common.module';
import { FundsQueryController, GetFundHandler, ListFundsHandler } from './list-funds/funds-query.controller';
import { OpenFundController } from './open-fund/open-fund.controller';
import { OpenFundHandler } from './open-fund/open-fund.handler';

@Module({
  imports: [CqrsModule, HttpCommonModule],
  controllers: [OpenFundController, FundsQueryController],
  providers: [OpenFundHandler, ListFundsHandler, GetFundHandler],
})
export class FundsModule {}
