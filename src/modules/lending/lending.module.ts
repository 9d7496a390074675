import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HttpCommonModule } from '../../http/http-common.module';
import { ApproveMoneyLoanController } from './approve-money-loan/approve-money-loan.controller';
import { ApproveMoneyLoanHandler } from './approve-money-loan/approve-money-loan.handler';
import { CancelReservationController } from './cancel-reservation/cancel-reservation.controller';
import { CancelReservationHandler } from './cancel-reservation/cancel-reservation.handler';
import { ChangeResourceStatusController } from './change-resource-status/change-resource-status.controller';
import { ChangeResourceStatusHandler } from './change-resource-status/change-resource-status.handler';
import { CheckOutThingController } from './check-out-thing/check-out-thing.controller';
import { CheckOutThingHandler } from './check-out-thing/check-out-thing.handler';
import { ConfirmLabourExchangeController } from './confirm-labour-exchange/confirm-labour-exchange.controller';
import { ConfirmLabourExchangeHandler } from './confirm-labour-exchange/confirm-labour-exchange.handler';
import { ForgiveMoneyLoanController } from './forgive-money-loan/forgive-money-loan.controller';
import { ForgiveMoneyLoanHandler } from './forgive-money-loan/forgive-money-loan.handler';
import { ListCooperativesController } from './list-cooperatives/list-cooperatives.controller';
import { GetCooperativeHandler, ListCooperativesHandler } from './list-cooperatives/list-cooperatives.handler';
import { ListLabourExchangesController } from './list-labour-exchanges/list-labour-exchanges.controller';
import { ListLabourExchangesHandler } from './list-labour-exchanges/list-labour-exchanges.handler';
import { ListMoneyLoansController } from './list-money-loans/list-money-loans.controller';
import { GetMoneyLoanHandler, ListMoneyLoansHandler } from './list-money-loans/list-money-loans.handler';
import { ListResourcesController } from './list-resources/list-resources.controller';
import { GetResourceHandler, ListResourcesHandler } from './list-resources/list-resources.handler';
import { ListThingLoansController } from './list-thing-loans/list-thing-loans.controller';
import { GetThingLoanHandler, ListThingLoansHandler } from './list-thing-loans/list-thing-loans.handler';
import { ProposeLabourExchangeController } from './propose-labour-exchange/propose-labour-exchange.controller';
import { ProposeLabourExchangeHandler } from './propose-labour-exchange/propose-labour-exchange.handler';
import { ReadLabourBalancesController } from './read-labour-balances/read-labour-balances.controller';
import { ReadLabourBalancesHandler } from './read-labour-balances/read-labour-balances.handler';
import { ReadLendingReportController } from './read-lending-report/read-lending-report.controller';
import { ReadCooperativeLendingReportHandler, ReadNetworkLendingReportHandler } from './read-lending-report/read-lending-report.handler';
import { RegisterCooperativeController } from './register-cooperative/register-cooperative.controller';
import { RegisterCooperativeHandler } from './register-cooperative/register-cooperative.handler';
import { RegisterResourceController } from './register-resource/register-resource.controller';
import { RegisterResourceHandler } from './register-resource/register-resource.handler';
import { RejectMoneyLoanController } from './reject-money-loan/reject-money-loan.controller';
import { RejectMoneyLoanHandler } from './reject-money-loan/reject-money-loan.handler';
import { RenewLoanController } from './renew-loan/renew-loan.controller';
import { RenewLoanHandler } from './renew-loan/renew-loan.handler';
import { RepayMoneyLoanController } from './repay-money-loan/repay-money-loan.controller';
import { RepayMoneyLoanHandler } from './repay-money-loan/repay-money-loan.handler';
import { ReportLostOrDamagedController } from './report-lost-or-damaged/report-lost-or-damaged.controller';
import { ReportLostOrDamagedHandler } from './report-lost-or-damaged/report-lost-or-damaged.handler';
import { RequestMoneyLoanController } from './request-money-loan/request-money-loan.controller';
import { RequestMoneyLoanHandler } from './request-money-loan/request-money-loan.handler';
import { ReserveThingController } from './reserve-thing/reserve-thing.controller';
import { ReserveThingHandler } from './reserve-thing/reserve-thing.handler';
import { ReturnThingController } from './return-thing/return-thing.controller';
import { ReturnThingHandler } from './return-thing/return-thing.handler';
import { SetLabourLimitController } from './set-labour-limit/set-labour-limit.controller';
import { SetLabourLimitHandler } from './set-labour-limit/set-labour-limit.handler';
import { LendingWrites } from './shared/lending-writes';
import { WaiveChargeController } from './waive-charge/waive-charge.controller';
import { WaiveChargeHandler } from './waive-charge/waive-charge.handler';

/**
 * Lending between cooperatives: cooperatives, money loans, resources and loans of things, labour
 * exchanges and the lending reports (see README, "Lending between cooperatives"). Controllers are
 * listed in the order the routes are documented.
 */
@Module({
  imports: [CqrsModule, HttpCommonModule],
  controllers: [
    RegisterCooperativeController,
    ListCooperativesController,
    RequestMoneyLoanController,
    ApproveMoneyLoanController,
    RejectMoneyLoanController,
    RepayMoneyLoanController,
    ForgiveMoneyLoanController,
    ListMoneyLoansController,
    RegisterResourceController,
    ChangeResourceStatusController,
    ListResourcesController,
    ReserveThingController,
    CheckOutThingController,
    RenewLoanController,
    ReturnThingController,
    ReportLostOrDamagedController,
    CancelReservationController,
    WaiveChargeController,
    ListThingLoansController,
    SetLabourLimitController,
    ProposeLabourExchangeController,
    ConfirmLabourExchangeController,
    ListLabourExchangesController,
    ReadLabourBalancesController,
    ReadLendingReportController,
  ],
  providers: [
    // command handlers
    RegisterCooperativeHandler,
    SetLabourLimitHandler,
    RequestMoneyLoanHandler,
    ApproveMoneyLoanHandler,
    RejectMoneyLoanHandler,
    RepayMoneyLoanHandler,
    ForgiveMoneyLoanHandler,
    RegisterResourceHandler,
    ChangeResourceStatusHandler,
    ReserveThingHandler,
    CheckOutThingHandler,
    RenewLoanHandler,
    ReturnThingHandler,
    ReportLostOrDamagedHandler,
    CancelReservationHandler,
    WaiveChargeHandler,
    ProposeLabourExchangeHandler,
    ConfirmLabourExchangeHandler,
    // query handlers
    ListCooperativesHandler,
    GetCooperativeHandler,
    ListMoneyLoansHandler,
    GetMoneyLoanHandler,
    ListResourcesHandler,
    GetResourceHandler,
    ListThingLoansHandler,
    GetThingLoanHandler,
    ListLabourExchangesHandler,
    ReadLabourBalancesHandler,
    ReadCooperativeLendingReportHandler,
    ReadNetworkLendingReportHandler,
    // shared by the handlers
    LendingWrites,
  ],
})
export class LendingModule {}
