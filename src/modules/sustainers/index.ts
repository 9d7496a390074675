/**
 * What other modules may use of the sustainers module: the queries the pages dispatch on the
 * query bus with the signed-in person as the viewer (so the same visibility rules answer the
 * pages and the API), and the statement's shape.
 */
export * from './sustainers.domain';
export { GetSustainerQuery } from './list-sustainers/list-sustainers.handler';
export { ListPledgesQuery } from './list-pledges/list-pledges.handler';
export type { PledgeList } from './list-pledges/list-pledges.handler';
export { ListDonationsQuery, GetDonationQuery } from './list-donations/list-donations.handler';
export type { DonationList } from './list-donations/list-donations.handler';
export { ReadStatementQuery } from './read-statement/read-statement.handler';
export type { Statement } from './read-statement/statement';
export { ReadFundTotalsQuery } from './read-fund-totals/read-fund-totals.handler';
export type { DonationView, PledgeView, SustainerView } from './sustainers-reads';
