/**
 * What other modules may use of the accountability module: the queries of "where did my gift go"
 * and the public report, with their answers' types (the pages read through them).
 */
export { TraceGiftQuery } from './trace-gift/trace-gift.handler';
export type { GiftTrace, PaidForLine } from './attribution/attribution.queries';
export { ReadTransparencyReportQuery } from './read-transparency-report/read-transparency-report.handler';
export { MIN_GROUP } from './reports/transparency';
export type { ReceivedRow, TransparencyReport as PublicReport } from './reports/transparency';
