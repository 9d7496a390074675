/**
 * The funds module's public domain entry: what other modules' deciders, events and read models
 * may use of the fund and movement aggregates. Pure (re-exports of domain files only), so a
 * decider elsewhere can import it; application code imports `./index.ts`, which re-exports it.
 */
export { fundDecider, fundStream } from './fund/fund.decider';
export type { FundCommand, FundEvent, FundState, Restriction } from './fund/fund.decider';
export { DONATION_METHODS, movementDecider, movementStream } from './movement/movement.decider';
export type { DonationMethod, FundFacts, MovementEvent, MovementRequestedData, PledgeFacts } from './movement/movement.decider';
export { FundErrors } from './funds.errors';
export { FUNDS_EVENTS } from './funds.events';
