import { Injectable } from '@nestjs/common';
import { CommandContext } from '../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../commands/command-runner';
import { WrongExpectedVersionError } from '../../event-store/event-store.port';
import { Actor } from '../../shared/decider';
import { DomainError } from '../../shared/domain-error';
import { newId } from '../../shared/ids';
import { StreamAppend } from '../../event-store/event-store.port';
import { FundCommand, fundDecider, fundStream } from '../funds/fund/fund.decider';
import { PERIODS_STREAM, periodsDecider, requireOpenPeriod } from '../ledger/period/period.decider';
import { MAX_BUSINESS_DAY } from '../../shared/business-date';
import { Interval, nthDueDate } from '../../shared/schedule';
import { Lender, MoneyLoanCommand, MoneyLoanState, moneyLoanDecider, moneyLoanStream } from './money-loan/money-loan.decider';
import {
  ResourceBaseStatus,
  ResourceCommand,
  ResourceKind,
  requireResource,
  resourceDecider,
  resourceStream,
  thingLoanStream,
} from './resource/resource.decider';
import { labourExchangeDecider, labourExchangeStream } from './labour/labour-exchange.decider';
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

/**
 * A cooperative token may see only what its cooperative is a party to. Anything else is answered
 * exactly as an id that does not exist (`notFound`), so a token cannot learn which ids exist.
 */
export function requireParty(actor: Actor, partyIds: readonly string[], notFound: () => DomainError): void {
  if (actor.role !== 'cooperative') return;
  if (!actor.subject || !partyIds.includes(actor.subject)) throw notFound();
}

const loanNotFound = (loanId: string) => () => new DomainError('LOAN.NOT_FOUND', `No loan ${loanId}.`, 404, { loanId });

/** The lender and borrower of a money loan in any state, for scoping. */
function moneyLoanParties(state: Exclude<MoneyLoanState, { status: 'none' }>): { lenderId: string; borrowerId: string; lender: Lender } {
  const lender = 'request' in state ? state.request.lender : state.lender;
  const borrowerId = 'request' in state ? state.request.borrowerId : state.borrowerId;
  return { lender, borrowerId, lenderId: lender.kind === 'fund' ? lender.fundId : lender.cooperativeId };
}

/** The whole schedule must fall within the business dates the ledger supports, like every date it records. */
function requireScheduleInRange(repayment: { interval: Exclude<Interval, 'once'>; installments: number; firstDueOn: string }): void {
  if (repayment.installments >= 1 && nthDueDate(repayment.firstDueOn, repayment.interval, repayment.installments - 1) > MAX_BUSINESS_DAY) {
    throw new DomainError('LOAN.INSTALLMENTS_INVALID', `The schedule runs past ${MAX_BUSINESS_DAY}.`, 400, {
      errors: [{ field: 'repayment.installments', messages: [`the last instalment falls due after ${MAX_BUSINESS_DAY}`] }],
    });
  }
}

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

  /** A dated fact falls in an open period; a refusal names the request field that carries the date. */
  private async requireOpenPeriod(day: string, field: string): Promise<void> {
    const { state } = await this.runner.load(PERIODS_STREAM, periodsDecider);
    try {
      requireOpenPeriod(state, day);
    } catch (error) {
      if (error instanceof DomainError) throw new DomainError(error.code, error.message, error.status, { ...error.details, field });
      throw error;
    }
  }

  /** The fund's entry for a loan's money, decided by the fund's own decider (which refuses overdrafts). */
  private async fundEntry(fundId: string, command: FundCommand): Promise<StreamAppend> {
    const { state, expected } = await this.runner.load(fundStream(fundId), fundDecider);
    const events = fundDecider.decide(command, state);
    return { streamId: fundStream(fundId), expected, events: asNew(events) };
  }

  /**
   * A money loan. From a fund (a steward), it is requested: the amount is held on the fund in
   * the same atomic append, under the fund's lock, and another steward's approval disburses it,
   * like every other outflow of a fund. Between cooperatives (the lender's own token or a
   * steward) it is disbursed at once.
   */
  disburseMoneyLoan(
    context: CommandContext,
    request: {
      fromFundId?: string;
      fromCooperativeId?: string;
      borrowerId: string;
      amountMinor: number;
      currency: string;
      purpose?: string;
      disbursedOn: string;
      repayment: { interval: Exclude<Interval, 'once'>; installments: number; firstDueOn: string };
    },
  ): Promise<CommandOutcome<{ loanId: string; status: 'pending' | 'active' }>> {
    if ((request.fromFundId === undefined) === (request.fromCooperativeId === undefined)) {
      throw new DomainError('LOAN.LENDER_REQUIRED', 'A loan comes from exactly one of fromFundId or fromCooperativeId.', 400, {
        errors: [{ field: 'fromFundId', messages: ['exactly one of fromFundId or fromCooperativeId'] }],
      });
    }
    if (request.fromFundId !== undefined && context.actor.role !== 'steward') {
      throw new DomainError('LOAN.STEWARD_ONLY', 'Only a steward lends from a fund.', 403);
    }
    if (request.fromCooperativeId !== undefined) requireActingFor(context.actor, [request.fromCooperativeId]);
    requireScheduleInRange(request.repayment);
    const loanId = newId();
    const now = context.now.toISOString();
    return this.runner.run<{ loanId: string; status: 'pending' | 'active' }>(
      context,
      async () => {
        await this.cooperative(request.borrowerId);
        const { fromFundId: _f, fromCooperativeId: _c, ...rest } = request;
        await this.requireOpenPeriod(request.disbursedOn, 'disbursedOn');
        if (request.fromFundId !== undefined) {
          const { state, expected } = await this.runner.load(fundStream(request.fromFundId), fundDecider);
          if (state.status === 'none') throw new DomainError('FUND.NOT_FOUND', `No fund ${request.fromFundId}.`, 404, { fundId: request.fromFundId });
          if (state.status === 'closed') throw new DomainError('FUND.CLOSED', `Fund ${state.code} is closed.`, 409, { fundId: state.fundId });
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
          const hold = fundDecider.decide({ type: 'PlaceHold', movementId: loanId, amountMinor: request.amountMinor }, state);
          return {
            appends: [
              { streamId: moneyLoanStream(loanId), expected: 'no_stream', events: asNew(events) },
              { streamId: fundStream(state.fundId), expected, events: asNew(hold) },
            ],
            response: { loanId, status: 'pending' as const },
          };
        }
        const coop = await this.cooperative(request.fromCooperativeId as string);
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

  /**
   * Another steward's approval disburses a requested loan from a fund: the loan's event and the
   * fund's debit (which consumes the loan's own hold) in one append, on the day asked for or a
   * later business day given with the approval.
   */
  async approveMoneyLoan(context: CommandContext, loanId: string, disbursedOn: string | undefined) {
    return this.runner.run(
      context,
      async () => {
        const { state, expected } = await this.runner.load(moneyLoanStream(loanId), moneyLoanDecider);
        const events = moneyLoanDecider.decide({ type: 'ApproveMoneyLoan', disbursedOn, by: context.actor.id, now: context.now.toISOString() }, state);
        const event = events[0];
        if (event.type !== 'MoneyLoanDisbursed' || event.data.lender.kind !== 'fund') throw new Error('an approval disburses a loan from a fund');
        await this.requireOpenPeriod(event.data.disbursedOn, 'disbursedOn');
        const fund = await this.fundEntry(event.data.lender.fundId, {
          type: 'PostEntry',
          movementId: loanId,
          deltaMinor: -event.data.amountMinor,
          effectiveAt: event.data.effectiveAt,
        });
        return {
          appends: [{ streamId: moneyLoanStream(loanId), expected, events: asNew(events) }, fund],
          response: { loanId, status: 'active' as const, disbursedOn: event.data.disbursedOn },
        };
      },
      { locks: await this.loanLocks(loanId) },
    );
  }

  /** Rejecting a requested loan releases what it held on the fund. */
  async rejectMoneyLoan(context: CommandContext, loanId: string, reason: string) {
    return this.runner.run(
      context,
      async () => {
        const { state, expected } = await this.runner.load(moneyLoanStream(loanId), moneyLoanDecider);
        const events = moneyLoanDecider.decide({ type: 'RejectMoneyLoan', reason, by: context.actor.id, now: context.now.toISOString() }, state);
        const { lender } = moneyLoanParties(state as Exclude<MoneyLoanState, { status: 'none' }>);
        const appends: StreamAppend[] = [{ streamId: moneyLoanStream(loanId), expected, events: asNew(events) }];
        if (lender.kind === 'fund') appends.push(await this.fundEntry(lender.fundId, { type: 'ReleaseHold', movementId: loanId, reason: 'rejected' }));
        return { appends, response: { loanId, status: 'rejected' as const } };
      },
      { locks: await this.loanLocks(loanId) },
    );
  }

  private async loanLocks(loanId: string): Promise<string[]> {
    const { state } = await this.runner.load(moneyLoanStream(loanId), moneyLoanDecider);
    if (state.status === 'none') return [moneyLoanStream(loanId)];
    const { lender } = moneyLoanParties(state);
    return [moneyLoanStream(loanId), ...(lender.kind === 'fund' ? [fundStream(lender.fundId)] : [])];
  }

  /**
   * A repayment posts from the loan back to its lender; for a fund lender the fund is credited
   * in the same append, so the money is available to lend again at once. The borrower (or a
   * steward) repays; forgiveness is for the lender (a steward for a fund).
   */
  async onMoneyLoan(
    context: CommandContext,
    loanId: string,
    command: MoneyLoanCommand & { type: 'RepayMoneyLoan' | 'ForgiveMoneyLoan' },
  ): Promise<CommandOutcome<{ loanId: string; status: 'active' | 'repaid' | 'forgiven'; outstandingMinor: number; repaymentId?: string }>> {
    return this.runner.run(
      context,
      async () => {
        const { state, expected } = await this.runner.load(moneyLoanStream(loanId), moneyLoanDecider);
        if (state.status === 'none') throw loanNotFound(loanId)();
        const parties = moneyLoanParties(state);
        requireParty(context.actor, [parties.lenderId, parties.borrowerId], loanNotFound(loanId));
        if (command.type === 'RepayMoneyLoan') {
          requireActingFor(context.actor, [parties.borrowerId]);
        } else if (parties.lender.kind === 'fund') {
          if (context.actor.role !== 'steward') throw new DomainError('LOAN.STEWARD_ONLY', 'Only a steward forgives a loan from a fund.', 403);
        } else {
          requireActingFor(context.actor, [parties.lender.cooperativeId]);
        }
        const events = moneyLoanDecider.decide(command, state);
        const after = events.reduce(moneyLoanDecider.evolve, state);
        const event = events[0];
        if (event.type !== 'MoneyLoanRepaid' && event.type !== 'MoneyLoanForgiven') throw new Error(`unexpected ${event.type}`);
        await this.requireOpenPeriod(event.data.effectiveAt.slice(0, 10), event.type === 'MoneyLoanRepaid' ? 'paidOn' : 'forgivenOn');
        const appends: StreamAppend[] = [{ streamId: moneyLoanStream(loanId), expected, events: asNew(events) }];
        if (event.type === 'MoneyLoanRepaid' && parties.lender.kind === 'fund') {
          appends.push(
            await this.fundEntry(parties.lender.fundId, {
              type: 'PostEntry',
              movementId: event.data.repaymentId,
              deltaMinor: event.data.amountMinor,
              effectiveAt: event.data.effectiveAt,
            }),
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
      { locks: await this.loanLocks(loanId) },
    );
  }

  registerResource(
    context: CommandContext,
    request: { ownerId: string; kind: ResourceKind; description: string; condition: string; status: ResourceBaseStatus; reason?: string },
  ): Promise<CommandOutcome<{ resourceId: string }>> {
    requireActingFor(context.actor, [request.ownerId]);
    const resourceId = newId();
    return this.runner.run(context, async () => {
      await this.cooperative(request.ownerId);
      const events = resourceDecider.decide({ type: 'RegisterResource', resourceId, ...request, now: context.now.toISOString() }, resourceDecider.initialState());
      return { appends: [{ streamId: resourceStream(resourceId), expected: 'no_stream', events: asNew(events) }], response: { resourceId } };
    });
  }

  changeResourceStatus(context: CommandContext, resourceId: string, status: ResourceBaseStatus, reason?: string) {
    return this.runner.run(context, async () => {
      const { state, expected } = await this.runner.load(resourceStream(resourceId), resourceDecider);
      requireActingFor(context.actor, [requireResource(state).ownerId]);
      const events = resourceDecider.decide({ type: 'ChangeResourceStatus', status, reason, now: context.now.toISOString() }, state);
      return { appends: [{ streamId: resourceStream(resourceId), expected, events: asNew(events) }], response: { resourceId, status } };
    });
  }

  /** Reserves a resource for a borrower; the borrower's own token or a steward. */
  reserveThing(
    context: CommandContext,
    request: { resourceId: string; borrowerId: string; startOn: string; dueOn: string; depositMinor?: number; feeMinor?: number; currency?: string },
  ): Promise<CommandOutcome<{ loanId: string; resourceId: string; status: 'reserved' }>> {
    requireActingFor(context.actor, [request.borrowerId]);
    const charged = request.depositMinor !== undefined || request.feeMinor !== undefined;
    if (charged !== (request.currency !== undefined)) {
      throw new DomainError('LOAN.CHARGES_INVALID', 'A deposit or fee comes with its currency, and a currency only with one of them.', 400);
    }
    const charges = charged ? { currency: request.currency as string, depositMinor: request.depositMinor ?? 0, feeMinor: request.feeMinor ?? 0 } : undefined;
    const loanId = newId();
    return this.runner.run(context, async () => {
      await this.cooperative(request.borrowerId);
      const { state, expected } = await this.runner.load(resourceStream(request.resourceId), resourceDecider);
      const events = resourceDecider.decide(
        {
          type: 'ReserveThing',
          loanId,
          borrowerId: request.borrowerId,
          startOn: request.startOn,
          dueOn: request.dueOn,
          ...(charges ? { charges } : {}),
          by: context.actor.id,
          now: context.now.toISOString(),
        },
        state,
      );
      return {
        appends: [
          { streamId: resourceStream(request.resourceId), expected, events: asNew(events) },
          { streamId: thingLoanStream(loanId), expected: 'no_stream', events: [{ type: 'ThingLoanIndexed', schemaVersion: 1, data: { loanId, resourceId: request.resourceId } }] },
        ],
        response: { loanId, resourceId: request.resourceId, status: 'reserved' as const },
      };
    });
  }

  /**
   * A decision on an existing loan of a thing. Checking out and in (return, lost, damaged) is
   * for the owner or a steward; renewing for the borrower or a steward.
   */
  onThingLoan(
    context: CommandContext,
    loanId: string,
    command: (
      | { type: 'CheckOutThing'; on?: string }
      | { type: 'RenewThing'; dueOn: string; on?: string }
      | { type: 'ReturnThing'; condition: string; on?: string }
      | { type: 'ReportLostOrDamaged'; outcome: 'lost' | 'damaged'; notes: string; on?: string }
      | { type: 'WaiveCharge'; charge: 'deposit' | 'fee'; reason: string }
      | { type: 'CancelReservation'; reason: string }
    ),
  ): Promise<CommandOutcome<{ loanId: string; resourceId: string; renewalId?: string }>> {
    const renewalId = newId();
    return this.runner.run(context, async () => {
      const { state: resourceId } = await this.runner.load(thingLoanStream(loanId), thingLoanIndex);
      if (!resourceId) throw loanNotFound(loanId)();
      const { state, expected } = await this.runner.load(resourceStream(resourceId), resourceDecider);
      const resource = requireResource(state);
      const loan = resource.loans.get(loanId);
      if (!loan) throw loanNotFound(loanId)();
      requireParty(context.actor, [loan.borrowerId, resource.ownerId], loanNotFound(loanId));
      // Renewing is the borrower's; cancelling a reservation either side's; the rest the owner's.
      requireActingFor(
        context.actor,
        command.type === 'RenewThing' ? [loan.borrowerId] : command.type === 'CancelReservation' ? [loan.borrowerId, resource.ownerId] : [resource.ownerId],
      );
      const full = { ...command, loanId, renewalId, by: context.actor.id, now: context.now.toISOString() } as ResourceCommand;
      const events = resourceDecider.decide(full, state);
      // Every dated fact (the check-out, renewal or end, and the deposit and fee settled with it) falls in an open period.
      const dated = datedFact(events);
      if (dated !== undefined) await this.requireOpenPeriod(dated.day, dated.field);
      const appends = [{ streamId: resourceStream(resourceId), expected, events: asNew(events) }];
      if (command.type === 'RenewThing') {
        appends.push({
          streamId: thingLoanStream(renewalId),
          expected: 'no_stream',
          events: [{ type: 'ThingLoanIndexed', schemaVersion: 1, data: { loanId: renewalId, resourceId } }],
        });
      }
      return { appends, response: { loanId, resourceId, ...(command.type === 'RenewThing' ? { renewalId } : {}) } };
    });
  }

  setLabourLimit(context: CommandContext, cooperativeId: string, limitMinutes: number) {
    return this.runner.run(context, async () => {
      const { state, expected } = await this.runner.load(cooperativeStream(cooperativeId), cooperativeDecider);
      requireCooperative(state, cooperativeId);
      const events = cooperativeDecider.decide({ type: 'SetLabourLimit', limitMinutes, now: context.now.toISOString() }, state);
      return { appends: [{ streamId: cooperativeStream(cooperativeId), expected, events: asNew(events) }], response: { cooperativeId, limitMinutes } };
    });
  }

  /** A cooperative proposes hours it gave or received; proposing is its own side's confirmation. */
  proposeHours(
    context: CommandContext,
    request: { workerId: string; receiverId: string; minutes: number; workedOn: string; description: string },
  ): Promise<CommandOutcome<{ exchangeId: string; status: 'proposed' }>> {
    const exchangeId = newId();
    // Refused before any lookup, so a token cannot learn which cooperatives exist.
    requireActingFor(context.actor, [request.workerId, request.receiverId]);
    return this.runner.run(context, async () => {
      await this.cooperative(request.workerId);
      await this.cooperative(request.receiverId);
      await this.requireOpenPeriod(request.workedOn, 'workedOn');
      const events = labourExchangeDecider.decide(
        { type: 'ProposeHours', terms: { exchangeId, ...request }, forCooperative: context.actor.subject ?? '', by: context.actor.id, now: context.now.toISOString() },
        labourExchangeDecider.initialState(),
      );
      return { appends: [{ streamId: labourExchangeStream(exchangeId), expected: 'no_stream', events: asNew(events) }], response: { exchangeId, status: 'proposed' as const } };
    });
  }

  /** The counterpart's confirmation posts the minutes. */
  confirmHours(context: CommandContext, exchangeId: string): Promise<CommandOutcome<{ exchangeId: string; status: 'confirmed' }>> {
    return this.runner.run(context, async () => {
      const { state, expected } = await this.runner.load(labourExchangeStream(exchangeId), labourExchangeDecider);
      const notFound = () => new DomainError('LABOUR.NOT_FOUND', `No labour exchange ${exchangeId}.`, 404, { exchangeId });
      if (state.status === 'none') throw notFound();
      requireParty(context.actor, [state.terms.workerId, state.terms.receiverId], notFound);
      // The minutes post on the day worked: a closed month's balances never change after its close.
      await this.requireOpenPeriod(state.terms.workedOn, 'workedOn');
      const events = labourExchangeDecider.decide({ type: 'ConfirmHours', forCooperative: context.actor.subject ?? '', by: context.actor.id, now: context.now.toISOString() }, state);
      return { appends: [{ streamId: labourExchangeStream(exchangeId), expected, events: asNew(events) }], response: { exchangeId, status: 'confirmed' as const } };
    });
  }
}
