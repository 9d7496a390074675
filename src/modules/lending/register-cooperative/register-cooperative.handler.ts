import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { reservation } from '../../ledger';
import { cooperativeDecider, cooperativeNameStream, cooperativeStream } from '../cooperative/cooperative.decider';
import { RegisterCooperativeDto } from './register-cooperative.dto';
import { LendingErrors } from '../lending.errors';
import { asNew } from '../shared/lending-writes';

export class RegisterCooperativeCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: RegisterCooperativeDto,
  ) {}
}

/** Names are unique: the cooperative's stream and its name's reservation are appended together. */
@CommandHandler(RegisterCooperativeCommand)
export class RegisterCooperativeHandler implements ICommandHandler<RegisterCooperativeCommand, CommandOutcome<{ cooperativeId: string }>> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, request }: RegisterCooperativeCommand): Promise<CommandOutcome<{ cooperativeId: string }>> {
    const cooperativeId = newId();
    const name = request.name.trim();
    const reserved = reservation(cooperativeNameStream(name), asNew([{ type: 'CooperativeNameReserved', data: { name, cooperativeId } }]), () =>
      LendingErrors.cooperativeNameTaken(name),
    );
    return this.runner.run(
      context,
      async () => {
        const events = cooperativeDecider.decide(
          { type: 'RegisterCooperative', cooperativeId, ...request, name, now: context.now.toISOString() },
          cooperativeDecider.initialState(),
        );
        return {
          appends: [
            { streamId: cooperativeStream(cooperativeId), expected: 'no_stream', events: asNew(events) },
            reserved.append,
          ],
          response: { cooperativeId },
        };
      },
      { onConflict: reserved.onConflict },
    );
  }
}
