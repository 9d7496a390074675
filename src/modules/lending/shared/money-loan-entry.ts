import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { StreamAppend } from '../../../event-store/event-store.port';
import { LendingErrors } from '../lending.errors';
import { MoneyLoanCommand, moneyLoanDecider, moneyLoanStream } from '../money-loan/money-loan.decider';
import { LendingWrites, asNew, moneyLoanParties, requireActingFor, requireParty } from './lending-writes';

export type MoneyLoanEntryOutcome = CommandOutcome<{ loanId: string; status: 'active' | 'repaid' | 'forgiven'; outstandingMinor: number; repaymentId?: string }>;

/**
 * A repayment or a forgiveness. A repayment posts from the loan back to its lender; for a fund
 * lender the fund is credited in the same append, so the money is available to lend again at
 * once. The borrower (or a steward) repays; forgiveness is for the lender (a steward for a fund).
 */
export async function recordMoneyLoanEntry(
  writes: LendingWrites,
  context: CommandContext,
  loanId: string,
  command: MoneyLoanCommand & { type: 'RepayMoneyLoan' | 'ForgiveMoneyLoan' },
): Promise<MoneyLoanEntryOutcome> {
  const runner = writes.runner;
  return runner.run(
    context,
    async () => {
      const { state, expected } = await runner.load(moneyLoanStream(loanId), moneyLoanDecider);
      if (state.status === 'none') throw LendingErrors.loanNotFound(loanId);
      const parties = moneyLoanParties(state);
      requireParty(context.actor, [parties.lenderId, parties.borrowerId], () => LendingErrors.loanNotFound(loanId));
      if (command.type === 'RepayMoneyLoan') {
        requireActingFor(context.actor, [parties.borrowerId]);
      } else if (parties.lender.kind === 'fund') {
        if (context.actor.role !== 'steward') throw LendingErrors.stewardOnlyForgives();
      } else {
        requireActingFor(context.actor, [parties.lender.cooperativeId]);
      }
      const events = moneyLoanDecider.decide(command, state);
      const after = events.reduce(moneyLoanDecider.evolve, state);
      const event = events[0];
      if (event.type !== 'MoneyLoanRepaid' && event.type !== 'MoneyLoanForgiven') throw new Error(`unexpected ${event.type}`);
      await writes.requireOpenPeriod(event.data.effectiveAt.slice(0, 10), event.type === 'MoneyLoanRepaid' ? 'paidOn' : 'forgivenOn');
      const appends: StreamAppend[] = [{ streamId: moneyLoanStream(loanId), expected, events: asNew(events) }];
      if (event.type === 'MoneyLoanRepaid' && parties.lender.kind === 'fund') {
        appends.push(
          await writes.fundEntry(parties.lender.fundId, { type: 'PostEntry', movementId: event.data.repaymentId, deltaMinor: event.data.amountMinor, effectiveAt: event.data.effectiveAt }),
        );
      }
      return {
        appends,
        response: {
          loanId,
          status: 'outstandingMinor' in after ? after.status : 'active',
          outstandingMinor: 'outstandingMinor' in after ? after.outstandingMinor : 0,
          ...(event.type === 'MoneyLoanRepaid' ? { repaymentId: event.data.repaymentId } : {}),
        },
      };
    },
    { locks: await writes.loanLocks(loanId) },
  );
}
