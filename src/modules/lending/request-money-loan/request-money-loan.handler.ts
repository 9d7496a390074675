import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { StreamAppend } from '../../../event-store/event-store.port';
import { fundStream } from '../../funds/funds.domain';
import { DisburseMoneyLoanDto } from './request-money-loan.dto';
import { LendingErrors } from '../lending.errors';
import { Lender, moneyLoanDecider, moneyLoanStream } from '../money-loan/money-loan.decider';
import { LendingWrites, asNew, requireActingFor, requireScheduleInRange } from '../shared/lending-writes';

export class RequestMoneyLoanCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: DisburseMoneyLoanDto,
  ) {}
}

type Outcome = CommandOutcome<{ loanId: string; status: 'pending' | 'active' }>;

/**
 * A money loan. From a fund (a steward), it is requested: the amount is held on the fund in the
 * same atomic append, under the fund's lock, and another steward's approval disburses it, like
 * every other outflow of a fund. Between cooperatives (the lender's own token or a steward) it
 * is disbursed at once.
 */
@CommandHandler(RequestMoneyLoanCommand)
export class RequestMoneyLoanHandler implements ICommandHandler<RequestMoneyLoanCommand, Outcome> {
  constructor(private readonly writes: LendingWrites) {}

  execute({ context, request }: RequestMoneyLoanCommand): Promise<Outcome> {
    if ((request.fromFundId === undefined) === (request.fromCooperativeId === undefined)) throw LendingErrors.lenderRequired();
    if (request.fromFundId !== undefined && context.actor.role !== 'steward') throw LendingErrors.stewardOnlyLends();
    if (request.fromCooperativeId !== undefined) requireActingFor(context.actor, [request.fromCooperativeId]);
    requireScheduleInRange(request.repayment);
    const loanId = newId();
    const now = context.now.toISOString();
    const { runner } = this.writes;
    return runner.run<{ loanId: string; status: 'pending' | 'active' }>(
      context,
      async () => {
        await this.writes.cooperative(request.borrowerId);
        const { fromFundId: _f, fromCooperativeId: _c, ...rest } = request;
        await this.writes.requireOpenPeriod(request.disbursedOn, 'disbursedOn');
        if (request.fromFundId !== undefined) {
          const fund = await this.writes.ledger.fundState(request.fromFundId);
          const { state } = fund;
          if (state.status === 'none') throw LendingErrors.fundNotFound(request.fromFundId);
          if (state.status === 'closed') throw LendingErrors.fundClosed(state.fundId, state.code);
          const lender: Lender = { kind: 'fund', fundId: state.fundId, fundCode: state.code };
          const events = moneyLoanDecider.decide(
            {
              type: 'RequestMoneyLoan',
              loanId,
              lender,
              lenderCurrency: state.currency,
              lenderDonorRestricted: state.restriction.class === 'donor-restricted',
              ...rest,
              by: context.actor.id,
              now,
            },
            moneyLoanDecider.initialState(),
          );
          // A hold is always recorded or refused (insufficient funds), never nothing.
          const hold = this.writes.ledger.fundAppend(state.fundId, fund, { type: 'PlaceHold', movementId: loanId, amountMinor: request.amountMinor }, { effectiveAt: undefined }) as StreamAppend;
          return {
            appends: [
              { streamId: moneyLoanStream(loanId), expected: 'no_stream', events: asNew(events) },
              hold,
            ],
            response: { loanId, status: 'pending' as const },
          };
        }
        const coop = await this.writes.cooperative(request.fromCooperativeId as string);
        const events = moneyLoanDecider.decide(
          { type: 'DisburseMoneyLoan', loanId, lender: { kind: 'cooperative', cooperativeId: coop.cooperativeId }, ...rest, by: context.actor.id, now },
          moneyLoanDecider.initialState(),
        );
        return {
          appends: [{ streamId: moneyLoanStream(loanId), expected: 'no_stream', events: asNew(events) }],
          response: { loanId, status: 'active' as const },
        };
      },
      { locks: request.fromFundId ? [fundStream(request.fromFundId)] : [] },
    );
  }
}
