/**
 * What other modules may use of the funds module. Sustainers record donations through
 * `FundsWrites.recordDonation` and read a fund's view; land trust, lending and sustainers post
 * into funds with the fund decider.
 */
export * from './funds.domain';
export { fundsProjection } from './fund-views/fund-views.projection';
export type { FundView } from './fund-views/fund-views.projection';
export { findFund } from './fund-views/fund-views.queries';
export { FundsWrites } from './funds-writes';
export type { MovementResponse } from './funds-writes';
export { movementsProjection } from './movement-views/movement-views.projection';
export { ListFundsQuery } from './list-funds/list-funds.handler';
