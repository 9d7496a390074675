import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome } from '../../../commands/command-runner';
import { newId } from '../../../shared/ids';
import { LendingErrors } from '../lending.errors';
import { ResourceCommand, requireResource, resourceDecider, resourceStream, thingLoanStream } from '../resource/resource.decider';
import { LendingWrites, asNew, requireActingFor, requireParty } from './lending-writes';

/** A decision on an existing loan of a thing, as the resource's decider takes it (less what the handler adds). */
export type ThingLoanDecision =
  | { type: 'CheckOutThing'; on?: string }
  | { type: 'RenewThing'; dueOn: string; on?: string }
  | { type: 'ReturnThing'; condition: string; on?: string }
  | { type: 'ReportLostOrDamaged'; outcome: 'lost' | 'damaged'; notes: string; on?: string }
  | { type: 'WaiveCharge'; charge: 'deposit' | 'fee'; reason: string }
  | { type: 'CancelReservation'; reason: string };

/** Folds a thing-loan index stream to the id of the resource the loan belongs to. */
const thingLoanIndex = {
  initialState: (): string | undefined => undefined,
  evolve: (_state: string | undefined, event: { type: string; data: unknown }): string | undefined => (event.data as { resourceId: string }).resourceId,
};

/** The request field that dates each fact of a loan of a thing. */
const DATED_FACTS: Record<string, string> = { ThingCheckedOut: 'checkedOutOn', ThingRenewed: 'renewedOn', ThingReturned: 'returnedOn', ThingLostOrDamaged: 'reportedOn' };

/** The business day of the fact a decision on a loan of a thing records (and its field), if it records a dated one. */
function datedFact(events: readonly { type: string; data: unknown }[]): { day: string; field: string } | undefined {
  for (const event of events) {
    const field = DATED_FACTS[event.type];
    if (field) return { day: (event.data as { on: string }).on, field };
  }
  return undefined;
}

/**
 * The six decisions on a loan of a thing load, scope and append alike. Checking out and in
 * (return, lost, damaged) and waiving are the owner's or a steward's; renewing the borrower's;
 * cancelling a reservation either side's.
 */
export function decideOnThingLoan(
  writes: LendingWrites,
  context: CommandContext,
  loanId: string,
  command: ThingLoanDecision,
): Promise<CommandOutcome<{ loanId: string; resourceId: string; renewalId?: string }>> {
  const runner = writes.runner;
  const renewalId = newId();
  return runner.run(context, async () => {
    const { state: resourceId } = await runner.load(thingLoanStream(loanId), thingLoanIndex);
    if (!resourceId) throw LendingErrors.loanNotFound(loanId);
    const { state, expected } = await runner.load(resourceStream(resourceId), resourceDecider);
    const resource = requireResource(state);
    const loan = resource.loans.get(loanId);
    if (!loan) throw LendingErrors.loanNotFound(loanId);
    requireParty(context.actor, [loan.borrowerId, resource.ownerId], () => LendingErrors.loanNotFound(loanId));
    requireActingFor(
      context.actor,
      command.type === 'RenewThing' ? [loan.borrowerId] : command.type === 'CancelReservation' ? [loan.borrowerId, resource.ownerId] : [resource.ownerId],
    );
    const full = { ...command, loanId, renewalId, by: context.actor.id, now: context.now.toISOString() } as ResourceCommand;
    const events = resourceDecider.decide(full, state);
    // Every dated fact (the check-out, renewal or end, and the deposit and fee settled with it) falls in an open period.
    const dated = datedFact(events);
    if (dated !== undefined) await writes.requireOpenPeriod(dated.day, dated.field);
    const appends = [{ streamId: resourceStream(resourceId), expected, events: asNew(events) }];
    if (command.type === 'RenewThing') {
      appends.push({
        streamId: thingLoanStream(renewalId),
        expected: 'no_stream',
        events: asNew([{ type: 'ThingLoanIndexed', data: { loanId: renewalId, resourceId } }]),
      });
    }
    return { appends, response: { loanId, resourceId, ...(command.type === 'RenewThing' ? { renewalId } : {}) } };
  });
}
