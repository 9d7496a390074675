import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { ConflictError } from '../../../shared/domain-error';
import { reservation } from '../../ledger';
import { newId } from '../../../shared/ids';
import { fundCodeStream, fundDecider, fundStream } from '../fund/fund.decider';
import { OpenFundDto } from './open-fund.dto';
import { newFundsEvents } from '../funds-writes';

export class OpenFundCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: OpenFundDto,
  ) {}
}

@CommandHandler(OpenFundCommand)
export class OpenFundHandler implements ICommandHandler<OpenFundCommand, CommandOutcome<{ fundId: string }>> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, request }: OpenFundCommand): Promise<CommandOutcome<{ fundId: string }>> {
    const fundId = newId();
    const code = reservation(fundCodeStream(request.code), newFundsEvents([{ type: 'FundCodeReserved', data: { code: request.code, fundId } }]), () =>
      new ConflictError('FUND.CODE_TAKEN', `A fund with code ${request.code} already exists.`, { fundCode: request.code }),
    );
    return this.runner.run(
      context,
      async () => {
        const events = fundDecider.decide(
          {
            type: 'OpenFund',
            fundId,
            code: request.code,
            name: request.name,
            currency: request.currency,
            restriction: { ...request.restriction },
            description: request.description,
            now: context.now.toISOString(),
          },
          fundDecider.initialState(),
        );
        return {
          appends: [
            { streamId: fundStream(fundId), expected: 'no_stream', events: newFundsEvents(events) },
            code.append,
          ],
          response: { fundId },
        };
      },
      { onConflict: code.onConflict },
    );
  }
}
