import { Injectable } from '@nestjs/common';
import { CommandRunner } from '../../../commands/command-runner';
import { StreamAppend } from '../../../event-store/event-store.port';
import { MAX_BUSINESS_DAY } from '../../../shared/business-date';
import { Actor } from '../../../shared/decider';
import { DomainError } from '../../../shared/domain-error';
import { Interval, nthDueDate } from '../../../shared/schedule';
import { newEventsOf } from '../../../shared/event-schema';
import { FundCommand, fundStream } from '../../funds/funds.domain';
import { LedgerWrites } from '../../ledger';
import { cooperativeDecider, cooperativeStream, requireCooperative } from '../cooperative/cooperative.decider';
import { LendingErrors } from '../lending.errors';
import { LENDING_EVENTS } from '../lending.events';
import { Lender, MoneyLoanState, moneyLoanDecider, moneyLoanStream } from '../money-loan/money-loan.decider';

export const asNew = newEventsOf(LENDING_EVENTS);

/**
 * A cooperative token acts for the one cooperative it is bound to (its subject), never for
 * another: acting for another cooperative is refused with COOPERATIVE.ACTING_FOR_ANOTHER.
 * Stewards act for the network.
 */
export function requireActingFor(actor: Actor, cooperativeIds: readonly string[]): void {
  if (actor.role !== 'cooperative') return;
  if (!actor.subject || !cooperativeIds.includes(actor.subject)) throw LendingErrors.actingForAnother(actor.subject);
}

/**
 * A cooperative token may see only what its cooperative is a party to. Anything else is answered
 * exactly as an id that does not exist (`notFound`), so a token cannot learn which ids exist.
 */
export function requireParty(actor: Actor, partyIds: readonly string[], notFound: () => DomainError): void {
  if (actor.role !== 'cooperative') return;
  if (!actor.subject || !partyIds.includes(actor.subject)) throw notFound();
}

/** The lender and borrower of a money loan in any state, for scoping. */
export function moneyLoanParties(state: Exclude<MoneyLoanState, { status: 'none' }>): { lenderId: string; borrowerId: string; lender: Lender } {
  const lender = 'request' in state ? state.request.lender : state.lender;
  const borrowerId = 'request' in state ? state.request.borrowerId : state.borrowerId;
  return { lender, borrowerId, lenderId: lender.kind === 'fund' ? lender.fundId : lender.cooperativeId };
}

/** The whole schedule must fall within the business dates the ledger supports, like every date it records. */
export function requireScheduleInRange(repayment: { interval: Exclude<Interval, 'once'>; instalments: number; firstDueOn: string }): void {
  if (repayment.instalments >= 1 && nthDueDate(repayment.firstDueOn, repayment.interval, repayment.instalments - 1) > MAX_BUSINESS_DAY) {
    throw LendingErrors.scheduleOutOfRange(MAX_BUSINESS_DAY);
  }
}

/** What several lending handlers load before they decide: cooperatives, a loan's locks; periods and funds through `LedgerWrites`. */
@Injectable()
export class LendingWrites {
  constructor(
    readonly runner: CommandRunner,
    readonly ledger: LedgerWrites,
  ) {}

  /** The cooperative's folded state, or COOPERATIVE.NOT_FOUND (404). */
  async cooperative(cooperativeId: string) {
    const { state } = await this.runner.load(cooperativeStream(cooperativeId), cooperativeDecider);
    return requireCooperative(state, cooperativeId);
  }

  /** A dated fact falls in an open period; a refusal names the request field. */
  requireOpenPeriod(day: string, field: string): Promise<void> {
    return this.ledger.requireOpenPeriod(day, field);
  }

  /**
   * The fund's entry for a loan's money, decided by the fund's own decider (which refuses
   * overdrafts). Always an append: a decision on a loan checks the fund's revision even when the
   * fund has nothing to record.
   */
  async fundEntry(fundId: string, command: FundCommand): Promise<StreamAppend> {
    const fund = await this.ledger.fundState(fundId);
    return this.ledger.fundAppend(fundId, fund, command, { effectiveAt: undefined }) ?? { streamId: fundStream(fundId), expected: fund.expected, events: [] };
  }

  /** A money loan's stream, and its lending fund's when it comes from one: a decision on it moves both. */
  async loanLocks(loanId: string): Promise<string[]> {
    const { state } = await this.runner.load(moneyLoanStream(loanId), moneyLoanDecider);
    if (state.status === 'none') return [moneyLoanStream(loanId)];
    const { lender } = moneyLoanParties(state);
    return [moneyLoanStream(loanId), ...(lender.kind === 'fund' ? [fundStream(lender.fundId)] : [])];
  }
}
