import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { toInstant } from '../../../shared/calendar';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { FundFacts, improvementDecider, improvementStream } from '../improvement/improvement.decider';
import { LandTrustWrites, asNew } from '../land-trust-writes';
import { ExpenseDto } from './record-improvement-expense.dto';

export type ExpensePaid = { improvementId: string; expenseId: string; charges: { fundId: string; fundCode: string; amountMinor: number }[] };

export class RecordImprovementExpenseCommand {
  constructor(
    readonly context: CommandContext,
    readonly improvementId: string,
    readonly request: ExpenseDto,
  ) {}
}

/** A payment posts from the funds in funding-line order, each part taken from that line's hold. */
@CommandHandler(RecordImprovementExpenseCommand)
export class RecordImprovementExpenseHandler implements ICommandHandler<RecordImprovementExpenseCommand, CommandOutcome<ExpensePaid>> {
  constructor(private readonly writes: LandTrustWrites) {}

  async execute({ context, improvementId, request: input }: RecordImprovementExpenseCommand): Promise<CommandOutcome<ExpensePaid>> {
    const expenseId = newId();
    const { vendor, invoiceReference, amountMinor, currency } = input;
    const effectiveAt = toInstant(input.effectiveAt);
    return this.writes.runner.run(
      context,
      async () => {
        const { project, expected } = await this.writes.project(improvementId);
        await this.writes.ledger.requireOpenPeriod(effectiveAt);
        const funds = new Map<string, FundFacts>();
        for (const fundId of new Set(project.lines.map((l) => l.fundId))) funds.set(fundId, (await this.writes.ledger.loadFund(fundId)).facts);
        const events = improvementDecider.decide(
          { type: 'PayExpense', expenseId, vendor, invoiceReference, amountMinor, currency, effectiveAt, funds, by: context.actor.id, now: context.now.toISOString() },
          project,
        );
        const charges = events.flatMap((e) => (e.type === 'ImprovementExpensePaid' ? e.data.charges : []));
        const entries = await this.writes.ledger.fundAppends(
          charges.map((c) => ({
            fundId: c.fundId,
            command: { type: 'PostEntry', movementId: expenseId, deltaMinor: -c.amountMinor, effectiveAt, fromHold: { holdId: c.holdId, amountMinor: c.amountMinor } },
          })),
          { effectiveAt: undefined },
        );
        return {
          appends: [{ streamId: improvementStream(improvementId), expected, events: asNew(events) }, ...entries],
          response: { improvementId, expenseId, charges: charges.map(({ fundId, fundCode, amountMinor: part }) => ({ fundId, fundCode, amountMinor: part })) },
        };
      },
      { locks: await this.writes.fundLocks(improvementId) },
    );
  }
}
