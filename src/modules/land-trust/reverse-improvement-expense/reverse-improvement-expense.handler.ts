import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { toInstant } from '../../../shared/calendar';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { improvementDecider, improvementStream } from '../improvement/improvement.decider';
import { LandTrustWrites, asNew } from '../land-trust-writes';
import { ReverseExpenseDto } from './reverse-improvement-expense.dto';

export type ExpenseReversed = { improvementId: string; expenseId: string; status: 'reversed'; restoredToHolds: boolean };

export class ReverseImprovementExpenseCommand {
  constructor(
    readonly context: CommandContext,
    readonly improvementId: string,
    readonly expenseId: string,
    readonly request: ReverseExpenseDto,
  ) {}
}

/**
 * Reverses a payment: each fund gets its part back, into the hold it came from while the work
 * goes on, or as available money once the work has ended. Dated in an open period.
 */
@CommandHandler(ReverseImprovementExpenseCommand)
export class ReverseImprovementExpenseHandler implements ICommandHandler<ReverseImprovementExpenseCommand, CommandOutcome<ExpenseReversed>> {
  constructor(private readonly writes: LandTrustWrites) {}

  async execute({ context, improvementId, expenseId, request }: ReverseImprovementExpenseCommand): Promise<CommandOutcome<ExpenseReversed>> {
    const effectiveAt = request.effectiveAt === undefined ? context.now.toISOString() : toInstant(request.effectiveAt);
    return this.writes.runner.run(
      context,
      async () => {
        const { project, expected } = await this.writes.project(improvementId);
        await this.writes.ledger.requireOpenPeriod(effectiveAt);
        const events = improvementDecider.decide(
          { type: 'ReverseExpense', expenseId, reason: request.reason, effectiveAt, by: context.actor.id, now: context.now.toISOString() },
          project,
        );
        const reversal = events.flatMap((e) => (e.type === 'ImprovementExpenseReversed' ? [e.data] : []));
        const entries = await this.writes.ledger.fundAppends(
          reversal.flatMap((r) =>
            r.charges.map((c) => ({
              fundId: c.fundId,
              command: {
                type: 'PostEntry' as const,
                movementId: `${expenseId}-reversal`,
                deltaMinor: c.amountMinor,
                effectiveAt,
                ...(r.restoredToHolds ? { toHold: { holdId: c.holdId, amountMinor: c.amountMinor } } : {}),
              },
            })),
          ),
          { effectiveAt: undefined },
        );
        return {
          appends: [{ streamId: improvementStream(improvementId), expected, events: asNew(events) }, ...entries],
          response: { improvementId, expenseId, status: 'reversed' as const, restoredToHolds: reversal[0]?.restoredToHolds ?? false },
        };
      },
      { locks: await this.writes.fundLocks(improvementId) },
    );
  }
}
