/**
 * What other modules may use of the ledger module: the balances read model's keys and queries
 * (lending reads fund balances as of a date), the periods stream and its open-period rule, and
 * the balance query parameters the fund balance shares with the trial balance, and `LedgerWrites`:
 * the one way any module checks an open period and posts into a fund.
 */
export { balancesProjection, heldKey, postedKey } from './balances/balances.projection';
export { balanceAsOf, balanceAtPosition, currentBalance, currentHeld, journalPage } from './balances/balances.queries';
export { BalanceQueryDto } from './balances/balance-query.dto';
export { checkOneFilter } from './balances/balance-filters';
export { PERIODS_STREAM, periodsDecider, requireOpenPeriod } from './period/period.decider';
export { LedgerWrites, reservation } from './ledger-writes';
export type { EnvelopeDate, FundRead, LoadedFund } from './ledger-writes';
export { fundFlowsByMonth, firstFundEntryDay } from './balances/fund-flows.queries';
export type { FundFlowRow } from './balances/fund-flows.queries';
