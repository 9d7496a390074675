/**
 * What other modules may use of the funds module. Sustainers record donations through
 * `FundsWrites.recordDonation` and read a fund's view; land trust, lending and sustainers post
 * into funds with the fund decider.
 */
export { fundDecider, fundStream } from './fund/fund.decider';
export type { FundCommand, FundState, Restriction } from './fund/fund.decider';
export { fundsProjection } from './fund-views/fund-views.projection';
export type { FundView } from './fund-views/fund-views.projection';
export { findFund } from './fund-views/fund-views.queries';
export { FundsWrites } from './funds-writes';
export type { MovementResponse } from './funds-writes';
export { DONATION_METHODS, movementDecider, movementStream } from './movement/movement.decider';
export type { DonationMethod, FundFacts, MovementEvent, MovementRequestedData, PledgeFacts } from './movement/movement.decider';
export { movementsProjection } from './movement-views/movement-views.projection';
