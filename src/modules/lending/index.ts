/**
 * What other modules may use of the lending module: the queries and commands the cooperative's
 * page dispatches through the buses, with the signed-in cooperative as the actor, so the page
 * meets exactly the rules the API does.
 */
export * from './lending.domain';
export { GetCooperativeQuery } from './list-cooperatives/list-cooperatives.handler';
export { ListResourcesQuery, GetResourceQuery } from './list-resources/list-resources.handler';
export { ListThingLoansQuery } from './list-thing-loans/list-thing-loans.handler';
export { ListMoneyLoansQuery } from './list-money-loans/list-money-loans.handler';
export { ListLabourExchangesQuery } from './list-labour-exchanges/list-labour-exchanges.handler';
export { ReadLabourBalancesQuery } from './read-labour-balances/read-labour-balances.handler';
export { ReadCooperativeLendingReportQuery, ReadNetworkLendingReportQuery } from './read-lending-report/read-lending-report.handler';
export { ReserveThingCommand } from './reserve-thing/reserve-thing.handler';
export { ReserveThingDto } from './reserve-thing/reserve-thing.dto';
export { ProposeLabourExchangeCommand } from './propose-labour-exchange/propose-labour-exchange.handler';
export { ConfirmLabourExchangeCommand } from './confirm-labour-exchange/confirm-labour-exchange.handler';
export type { ResourceView } from './loans-of-things/loans-of-things.queries';
export { currentBookings } from './loans-of-things/resource-bookings.queries';
export type { ResourceBooking } from './loans-of-things/resource-bookings.queries';
export type { ThingLoanView } from './loans-of-things/loans-of-things.queries';
export { ProposeHoursDto } from './propose-labour-exchange/propose-labour-exchange.dto';
