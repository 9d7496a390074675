import { Injectable } from '@nestjs/common';
import { CommandContext } from '../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../commands/command-runner';
import { WrongExpectedVersionError } from '../../event-store/event-store.port';
import { Actor } from '../../shared/decider';
import { DomainError } from '../../shared/domain-error';
import { newId } from '../../shared/ids';
import { cooperativeDecider, cooperativeNameStream, cooperativeStream, requireCooperative } from './cooperative/cooperative.decider';

function asNew(events: readonly { type: string; data: unknown }[]) {
  return events.map((e) => ({ type: e.type, schemaVersion: 1, data: e.data }));
}

/**
 * A cooperative token acts for the one cooperative it is bound to (its subject), never for
 * another: acting for another cooperative is refused with COOPERATIVE.ACTING_FOR_ANOTHER.
 * Stewards act for the network.
 */
export function requireActingFor(actor: Actor, cooperativeIds: readonly string[]): void {
  if (actor.role !== 'cooperative') return;
  if (!actor.subject || !cooperativeIds.includes(actor.subject)) {
    throw new DomainError('COOPERATIVE.ACTING_FOR_ANOTHER', 'This token acts for another cooperative.', 403, { subject: actor.subject ?? null });
  }
}

/** The write path of lending between cooperatives. */
@Injectable()
export class LendingWriter {
  constructor(private readonly runner: CommandRunner) {}

  /** The cooperative's folded state, or COOPERATIVE.NOT_FOUND (404). */
  async cooperative(cooperativeId: string) {
    const { state } = await this.runner.load(cooperativeStream(cooperativeId), cooperativeDecider);
    return requireCooperative(state, cooperativeId);
  }

  registerCooperative(
    context: CommandContext,
    request: { name: string; sector: string; contact: string },
  ): Promise<CommandOutcome<{ cooperativeId: string }>> {
    const cooperativeId = newId();
    const name = request.name.trim();
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
            { streamId: cooperativeNameStream(name), expected: 'no_stream', events: [{ type: 'CooperativeNameReserved', schemaVersion: 1, data: { name, cooperativeId } }] },
          ],
          response: { cooperativeId },
        };
      },
      {
        onConflict: (error: WrongExpectedVersionError) =>
          error.streamId === cooperativeNameStream(name)
            ? new DomainError('COOPERATIVE.NAME_TAKEN', `A cooperative named ${name} is already registered.`, 409, { name })
            : undefined,
      },
    );
  }
}
