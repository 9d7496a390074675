import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { fundDecider, fundStream } from '../fund/fund.decider';
import { FundErrors } from '../funds.errors';
import { newFundsEvents } from '../funds-writes';

export class CloseFundCommand {
  constructor(
    readonly context: CommandContext,
    readonly fundId: string,
    readonly reason: string,
  ) {}
}

/**
 * Closing needs a zero balance and nothing pending; a closed fund receives nothing more. It is
 * dated when recorded: a period can only be closed once it has ended, so today is always open.
 */
@CommandHandler(CloseFundCommand)
export class CloseFundHandler implements ICommandHandler<CloseFundCommand, CommandOutcome<{ fundId: string; status: 'closed' }>> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, fundId, reason }: CloseFundCommand): Promise<CommandOutcome<{ fundId: string; status: 'closed' }>> {
    return this.runner.run(context, async () => {
      const stream = fundStream(fundId);
      const { state, expected } = await this.runner.load(stream, fundDecider);
      if (state.status === 'none') throw FundErrors.notFound(fundId);
      const events = fundDecider.decide({ type: 'CloseFund', reason, now: context.now.toISOString() }, state);
      return {
        appends: [{ streamId: stream, expected, events: newFundsEvents(events) }],
        response: { fundId, status: 'closed' as const },
      };
    });
  }
}
