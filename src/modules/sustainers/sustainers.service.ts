import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { CommandContext } from '../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../commands/command-runner';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import { DEFAULT_ORGANISATION_NAME, DEFAULT_PLEDGE_LAPSE_INSTALMENTS, type LedgerConfig } from '../../config';
import { ReadModelDatabase } from '../../projections/read-model-database';
import type { Actor } from '../../shared/decider';
import { DomainError, NotFoundError } from '../../shared/domain-error';
import { newId } from '../../shared/ids';
import { quarterOf } from '../../shared/schedule';
import { PERIODS_STREAM, periodsDecider, requireOpenPeriod } from '../ledger/period/period.decider';
import { fundDecider, fundStream } from '../funds/fund/fund.decider';
import { findFund } from '../funds/fund/fund.projection';
import { DonationMethod, PledgeFacts, movementDecider, movementStream } from '../funds/movement/movement.decider';
import { MovementResponse, MovementWriter } from '../funds/movement/movement-writer';
import { SustainerKeyStore } from './personal-data/key-store';
import { PersonalData, open, seal } from './personal-data/personal-data';
import { PledgeCommand, PledgeState, pledgeDecider, pledgeStream } from './pledge/pledge.decider';
import { GiftAgainstPledge, PledgeStanding, dueInstalments, pledgeStanding } from './pledge/pledge-standing';
import { disclosureFor } from './sustainer/disclosure';
import { SustainerState, requireActiveSustainer, sustainerDecider, sustainerStream } from './sustainer/sustainer.decider';
import { DonationRow, donationRows, raisedRows } from './donations/donations.queries';
import { findPledgeState, pledgeStatesOf } from './pledges/pledges.queries';
import { SustainerRow, findSustainerRow, listSustainerRows, sealedOf } from './sustainers/sustainers.queries';

/** US practice: a single gift of this much (250 USD) or more needs a written acknowledgement. */
const ACKNOWLEDGEMENT_THRESHOLD_USD_MINOR = 25_000;
/** US practice: a payment over 75 USD that bought goods or services needs a statement of their value. */
const QUID_PRO_QUO_THRESHOLD_USD_MINOR = 7_500;

export interface SustainerView {
  readonly sustainerId: string;
  readonly anonymous: boolean;
  readonly erased: boolean;
  /** null when erased, or when anonymous and the reader is neither a steward nor the sustainer. */
  readonly displayName: string | null;
  readonly email: string | null;
  readonly postalAddress: string | null;
  readonly registeredAt: string;
  readonly erasedAt: string | null;
}

type LivePledge = Extract<PledgeState, { made: unknown }>;
type PledgeChange = 'amend' | 'pause' | 'resume' | 'cancel' | 'write-off';

function asNew(events: readonly { type: string; data: unknown }[]) {
  return events.map((e) => ({ type: e.type, schemaVersion: 1, data: e.data }));
}

/**
 * What the ledger stores as `effectiveAt`: a UTC instant with milliseconds. The edge accepts a
 * business day (the day at midnight UTC) or an ISO 8601 instant with any offset.
 */
function storedInstant(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : new Date(value).toISOString();
}

/** A page of a listing: `next` only when a further page exists (one more row was found). */
function page<T>(rows: readonly T[], limit: number, cursorOf: (row: T) => string): { items: T[]; next?: string } {
  const items = rows.slice(0, limit);
  return { items, ...(rows.length > limit ? { next: cursorOf(items[items.length - 1]) } : {}) };
}

export interface Page {
  readonly limit: number;
  readonly after?: string;
}

/**
 * Sustainers, pledges and donations. Writes go through the command runner (pledges, sustainers)
 * or the movement writer (donations, refunds); reads come from the read models, with personal
 * data opened only here, at query time, with the key store.
 */
@Injectable()
export class SustainersService implements OnApplicationShutdown {
  private readonly keys: SustainerKeyStore;

  constructor(
    private readonly runner: CommandRunner,
    private readonly movements: MovementWriter,
    private readonly readModels: ReadModelDatabase,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {
    this.keys = new SustainerKeyStore(config.dataDir);
  }

  onApplicationShutdown(): void {
    this.keys.close();
  }

  /** See SustainerKeyStore.pepperedFingerprint: for routes whose body carries personal data. */
  pepperedFingerprint(fingerprint: string): string {
    return this.keys.pepperedFingerprint(fingerprint);
  }

  private get lapseAfter(): number {
    return this.config.pledgeLapseInstalments ?? DEFAULT_PLEDGE_LAPSE_INSTALMENTS;
  }

  // ---- writes ----

  /** The key is made durable first; if the registration is then not written, the orphan key is removed. */
  async register(context: CommandContext, request: PersonalData & { anonymous: boolean }): Promise<CommandOutcome<{ sustainerId: string }>> {
    const sustainerId = newId();
    const key = this.keys.create(sustainerId);
    const personal: PersonalData = {
      displayName: request.displayName,
      ...(request.email ? { email: request.email } : {}),
      ...(request.postalAddress ? { postalAddress: request.postalAddress } : {}),
    };
    try {
      const outcome = await this.runner.run(context, async () => {
        const events = sustainerDecider.decide(
          { type: 'RegisterSustainer', sustainerId, anonymous: request.anonymous, personal: seal(key, sustainerId, personal), by: context.actor.id, now: context.now.toISOString() },
          sustainerDecider.initialState(),
        );
        // The answer (kept in the log with the idempotency key) must not carry personal data.
        return { appends: [{ streamId: sustainerStream(sustainerId), expected: 'no_stream', events: asNew(events) }], response: { sustainerId } };
      });
      if (outcome.response.sustainerId !== sustainerId) this.keys.destroy(sustainerId);
      return outcome;
    } catch (error) {
      this.keys.destroy(sustainerId);
      throw error;
    }
  }

  /** Appends the erasure, then destroys the key; erasing again repairs a key left behind by a crash in between. */
  async erase(context: CommandContext, sustainerId: string): Promise<CommandOutcome<{ sustainerId: string; status: 'erased' }>> {
    try {
      const outcome = await this.runner.run(context, async () => {
        const { state, expected } = await this.runner.load(sustainerStream(sustainerId), sustainerDecider);
        const events = sustainerDecider.decide({ type: 'EraseSustainer', sustainerId, by: context.actor.id, now: context.now.toISOString() }, state);
        return { appends: [{ streamId: sustainerStream(sustainerId), expected, events: asNew(events) }], response: { sustainerId, status: 'erased' as const } };
      });
      this.keys.destroy(sustainerId);
      return outcome;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'SUSTAINER.ERASED') this.keys.destroy(sustainerId);
      throw error;
    }
  }

  private loadSustainer(sustainerId: string): Promise<{ state: SustainerState }> {
    return this.runner.load(sustainerStream(sustainerId), sustainerDecider);
  }

  /**
   * PERIOD.CLOSED for a business day inside a closed period, as for every dated fact of the
   * ledger, naming the request field that carries the day.
   */
  private async requireOpenPeriod(day: string, field: string): Promise<void> {
    const { state } = await this.runner.load(PERIODS_STREAM, periodsDecider);
    try {
      requireOpenPeriod(state, day);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      throw new DomainError(error.code, error.message, error.status, { ...error.details, errors: [{ field, messages: [error.message] }] });
    }
  }

  /**
   * The fund a one-off gift (or a gift to another fund than its pledge's) goes to must hold the
   * gift's currency: DONATION.CURRENCY_MISMATCH, as for a gift in another currency than its
   * pledge. An unknown or closed fund is left to the movement writer (FUND.NOT_FOUND, FUND.CLOSED).
   */
  private async requireFundCurrency(fundId: string | undefined, currency: string): Promise<void> {
    if (!fundId) return;
    const { state } = await this.runner.load(fundStream(fundId), fundDecider);
    if (state.status !== 'none' && state.currency !== currency) {
      const message = `Fund ${state.code} holds ${state.currency}, not ${currency}.`;
      throw new DomainError('DONATION.CURRENCY_MISMATCH', message, 422, {
        fundId,
        fundCurrency: state.currency,
        currency,
        errors: [{ field: 'currency', messages: [message] }],
      });
    }
  }

  async makePledge(
    context: CommandContext,
    request: { sustainerId: string; fundId: string; amountMinor: number; currency: string; interval: string; startDate: string; endDate?: string; instalments?: number },
  ): Promise<CommandOutcome<{ pledgeId: string }>> {
    const pledgeId = newId();
    return this.runner.run(context, async () => {
      const [{ state: sustainer }, fund] = await Promise.all([this.loadSustainer(request.sustainerId), this.runner.load(fundStream(request.fundId), fundDecider)]);
      if (fund.state.status === 'none') throw new NotFoundError('FUND.NOT_FOUND', `No fund ${request.fundId}.`, { fundId: request.fundId });
      // A promise falling due in a closed period would change what that period reports as promised.
      await this.requireOpenPeriod(request.startDate, 'startDate');
      const { code, currency, restriction, status } = fund.state;
      const events = pledgeDecider.decide(
        {
          type: 'MakePledge',
          pledgeId,
          sustainer,
          sustainerId: request.sustainerId,
          fund: { fundId: request.fundId, code, currency, restriction, status },
          amountMinor: request.amountMinor,
          currency: request.currency,
          interval: request.interval,
          startDate: request.startDate,
          ...(request.endDate !== undefined ? { endDate: request.endDate } : {}),
          ...(request.instalments !== undefined ? { instalments: request.instalments } : {}),
          by: context.actor.id,
          now: context.now.toISOString(),
        },
        pledgeDecider.initialState(),
      );
      return { appends: [{ streamId: pledgeStream(pledgeId), expected: 'no_stream', events: asNew(events) }], response: { pledgeId } };
    });
  }

  async changePledge(
    context: CommandContext,
    pledgeId: string,
    change: PledgeChange,
    request: { from: string; amountMinor?: number; interval?: string; reason?: string },
  ): Promise<CommandOutcome<{ pledgeId: string; status: string }>> {
    return this.runner.run(context, async () => {
      const { state, expected } = await this.runner.load(pledgeStream(pledgeId), pledgeDecider);
      if (state.status === 'none') throw new NotFoundError('PLEDGE.NOT_FOUND', `No pledge ${pledgeId}.`, { pledgeId });
      // Each change is a dated fact: what was due in a closed period may not change after the close.
      await this.requireOpenPeriod(request.from, 'from');
      const { state: sustainer } = await this.loadSustainer(state.made.sustainerId);
      const by = context.actor.id;
      const command: PledgeCommand =
        change === 'amend'
          ? { type: 'AmendPledge', sustainer, from: request.from, amountMinor: request.amountMinor ?? 0, interval: request.interval ?? state.terms.at(-1)!.interval, by }
          : change === 'pause'
            ? { type: 'PausePledge', sustainer, from: request.from, ...(request.reason ? { reason: request.reason } : {}), by }
            : change === 'resume'
              ? { type: 'ResumePledge', sustainer, from: request.from, by }
              : change === 'cancel'
                ? { type: 'CancelPledge', sustainer, from: request.from, reason: request.reason ?? '', by }
                : { type: 'WriteOffPledge', sustainer, from: request.from, reason: request.reason ?? '', by };
      const events = pledgeDecider.decide(command, state);
      const after = events.reduce(pledgeDecider.evolve, state);
      return { appends: [{ streamId: pledgeStream(pledgeId), expected, events: asNew(events) }], response: { pledgeId, status: after.status } };
    });
  }

  recordDonation(
    context: CommandContext,
    request: {
      sustainerId: string;
      pledgeId?: string;
      fundId?: string;
      amountMinor: number;
      currency: string;
      method: DonationMethod;
      effectiveAt: string;
      goodsServicesMinor?: number;
    },
  ): Promise<CommandOutcome<MovementResponse>> {
    const effectiveAt = storedInstant(request.effectiveAt);
    const movementId = newId();
    return this.movements.recordDonation(
      context,
      { movementId, fundId: request.fundId, method: request.method, goodsServicesMinor: request.goodsServicesMinor ?? 0, amountMinor: request.amountMinor, currency: request.currency, effectiveAt },
      async () => {
        const { state } = await this.loadSustainer(request.sustainerId);
        const sustainer = { sustainerId: request.sustainerId, status: state.status };
        // The giver is answered for before the fund's currency, with the movement decider's codes.
        requireActiveSustainer(state, request.sustainerId);
        if (!request.pledgeId) {
          await this.requireFundCurrency(request.fundId, request.currency);
          return { sustainer };
        }
        const { state: pledge, expected } = await this.runner.load(pledgeStream(request.pledgeId), pledgeDecider);
        // An unknown pledge is answered before the fund it would have designated is missed.
        if (pledge.status === 'none') throw new NotFoundError('PLEDGE.NOT_FOUND', `No pledge ${request.pledgeId}.`, { pledgeId: request.pledgeId });
        const facts: PledgeFacts = {
          pledgeId: request.pledgeId,
          sustainerId: pledge.made.sustainerId,
          fundId: pledge.made.fundId,
          currency: pledge.made.currency,
          status: pledge.status,
        };
        // The pledge decider records the gift on the pledge's stream (refusing it on a cancelled or
        // written-off pledge, or another currency or sustainer, with the same codes as the movement
        // decider); that stream's expected revision guards against a cancellation racing this gift.
        const events = pledgeDecider.decide(
          {
            type: 'ReceiveGift',
            sustainer: state,
            sustainerId: request.sustainerId,
            donationId: movementId,
            amountMinor: request.amountMinor,
            currency: request.currency,
            receivedOn: effectiveAt.slice(0, 10),
          },
          pledge,
        );
        await this.requireFundCurrency(request.fundId ?? pledge.made.fundId, request.currency);
        return {
          sustainer,
          pledge: facts,
          alsoAppend: [{ streamId: pledgeStream(request.pledgeId), expected, events: asNew(events) }],
        };
      },
    );
  }

  /** A refund is the reversal of the donation's movement: the same path as POST /v1/movements/{id}/reverse. */
  async refund(context: CommandContext, donationId: string, reason: string, effectiveAt?: string): Promise<CommandOutcome<MovementResponse>> {
    const { state } = await this.runner.load(movementStream(donationId), movementDecider);
    if (state.status === 'none' || state.request.kind !== 'donation') throw new NotFoundError('DONATION.NOT_FOUND', `No donation ${donationId}.`, { donationId });
    const when = storedInstant(effectiveAt ?? context.now.toISOString());
    // A refund dated before the money arrived would show a gift refunded before it was received.
    const receivedOn = state.request.effectiveAt.slice(0, 10);
    if (when.slice(0, 10) < receivedOn) {
      throw new DomainError('DONATION.REFUND_BEFORE_GIFT', `The gift was received on ${receivedOn}; a refund cannot be dated before it.`, 422, {
        errors: [{ field: 'effectiveAt', messages: [`effectiveAt must be on or after ${receivedOn}, the day the gift was received`] }],
      });
    }
    return this.movements.reverse(context, donationId, reason, when);
  }

  // ---- reads ----

  /** Stewards and auditors see every sustainer; a sustainer token only its own (anything else is "not found"). */
  private visible(viewer: Actor, sustainerId: string): SustainerRow {
    const row = findSustainerRow(this.readModels.db, sustainerId);
    const allowed = viewer.role === 'steward' || viewer.role === 'auditor' || (viewer.role === 'sustainer' && viewer.subject === sustainerId);
    if (!row || !allowed) throw new NotFoundError('SUSTAINER.NOT_FOUND', `No sustainer ${sustainerId}.`, { sustainerId });
    return row;
  }

  /**
   * Opens the person's data for this reader, by the one disclosure rule (see disclosureFor);
   * never after erasure, when the key is gone. The data is opened only if something of it is shown.
   */
  view(row: SustainerRow, viewer: Actor): SustainerView {
    const anonymous = row.anonymous === 1;
    const shown = disclosureFor(viewer, { sustainerId: row.sustainer_id, anonymous });
    const person =
      row.status === 'erased' || (!shown.name && !shown.contacts) ? undefined : open(this.keys.find(row.sustainer_id), row.sustainer_id, sealedOf(row));
    return {
      sustainerId: row.sustainer_id,
      anonymous,
      erased: row.status === 'erased',
      displayName: shown.name ? person?.displayName ?? null : null,
      email: shown.contacts ? person?.email ?? null : null,
      postalAddress: shown.contacts ? person?.postalAddress ?? null : null,
      registeredAt: row.registered_at,
      erasedAt: row.erased_at,
    };
  }

  sustainer(viewer: Actor, sustainerId: string): SustainerView {
    return this.view(this.visible(viewer, sustainerId), viewer);
  }

  listSustainers(viewer: Actor, request: Page): { items: SustainerView[]; next?: string } {
    const rows = listSustainerRows(this.readModels.db, { after: request.after, limit: request.limit + 1 });
    const { items, next } = page(rows, request.limit, (r) => r.sustainer_id);
    return { items: items.map((r) => this.view(r, viewer)), ...(next ? { next } : {}) };
  }

  private nameFor(viewer: Actor, sustainerId: string): string | null {
    const row = findSustainerRow(this.readModels.db, sustainerId);
    return row ? this.view(row, viewer).displayName : null;
  }

  private giftsOf(pledgeId: string): GiftAgainstPledge[] {
    return donationRows(this.readModels.db, { pledgeId }).map((d) => ({
      receivedOn: d.received_on,
      amountMinor: d.amount_minor,
      ...(d.refunded_on ? { refundedOn: d.refunded_on } : {}),
    }));
  }

  private pledgeView(state: LivePledge, asOf: string) {
    const { made, terms, pauses, endedOn } = state;
    const fund = findFund(this.readModels.db, made.fundId);
    const standing: PledgeStanding = pledgeStanding(state, this.giftsOf(made.pledgeId), asOf, this.lapseAfter);
    return {
      pledgeId: made.pledgeId,
      sustainerId: made.sustainerId,
      fundId: made.fundId,
      fundCode: fund?.code ?? made.fundCode,
      startDate: made.startDate,
      endDate: made.endDate ?? null,
      instalments: made.instalments ?? null,
      terms,
      pauses,
      endedOn: endedOn ?? null,
      lapseAfterInstalments: this.lapseAfter,
      ...standing,
    };
  }

  pledge(viewer: Actor, pledgeId: string, asOf: string) {
    const state = findPledgeState(this.readModels.db, pledgeId);
    if (!state || state.status === 'none') throw new NotFoundError('PLEDGE.NOT_FOUND', `No pledge ${pledgeId}.`, { pledgeId });
    try {
      this.visible(viewer, state.made.sustainerId);
    } catch {
      throw new NotFoundError('PLEDGE.NOT_FOUND', `No pledge ${pledgeId}.`, { pledgeId });
    }
    return this.pledgeView(state, asOf);
  }

  /** A sustainer's pledges, for stewards, auditors and the sustainer itself (anyone else: SUSTAINER.NOT_FOUND). */
  pledgesOf(viewer: Actor, sustainerId: string, asOf: string, request: Page) {
    this.visible(viewer, sustainerId);
    const states = pledgeStatesOf(this.readModels.db, { sustainerId, after: request.after, limit: request.limit + 1 }).filter(
      (s): s is LivePledge => s.status !== 'none',
    );
    const { items, next } = page(states, request.limit, (s) => s.made.pledgeId);
    return { items: items.map((s) => this.pledgeView(s, asOf)), ...(next ? { next } : {}) };
  }

  private donationView(d: DonationRow, viewer: Actor) {
    const fund = findFund(this.readModels.db, d.fund_id);
    return {
      donationId: d.donation_id,
      sustainerId: d.sustainer_id,
      sustainerName: this.nameFor(viewer, d.sustainer_id),
      pledgeId: d.pledge_id,
      fundId: d.fund_id,
      fundCode: fund?.code ?? null,
      fundName: fund?.name ?? null,
      amountMinor: d.amount_minor,
      currency: d.currency,
      method: d.method,
      receivedOn: d.received_on,
      goodsServicesValueMinor: d.goods_minor,
      restriction: JSON.parse(d.restriction) as unknown,
      refundedOn: d.refunded_on,
    };
  }

  /** Gifts by day received; a cursor names the last donation of the previous page. */
  donations(viewer: Actor, filter: { sustainerId?: string; fundId?: string; year?: number } & Page) {
    if (filter.sustainerId) this.visible(viewer, filter.sustainerId);
    const range = filter.year ? { from: `${filter.year}-01-01`, to: `${filter.year + 1}-01-01` } : {};
    const rows = donationRows(this.readModels.db, {
      sustainerId: filter.sustainerId,
      fundId: filter.fundId,
      ...range,
      page: { after: filter.after, limit: filter.limit + 1 },
    });
    const { items, next } = page(rows, filter.limit, (d) => d.donation_id);
    return { items: items.map((d) => this.donationView(d, viewer)), ...(next ? { next } : {}) };
  }

  donation(viewer: Actor, donationId: string) {
    const [row] = donationRows(this.readModels.db, { donationId });
    if (!row) throw new NotFoundError('DONATION.NOT_FOUND', `No donation ${donationId}.`, { donationId });
    if (viewer.role === 'sustainer' && viewer.subject !== row.sustainer_id) throw new NotFoundError('DONATION.NOT_FOUND', `No donation ${donationId}.`, { donationId });
    return this.donationView(row, viewer);
  }

  /**
   * The year's statement: every gift by the day the money arrived, totals by fund, goods and
   * services given in return, and for US gifts of 250 USD or more the acknowledgement fields.
   * What was promised (pledged instalments due in the year) is reported apart from what arrived.
   */
  statement(viewer: Actor, sustainerId: string, year: number) {
    const row = this.visible(viewer, sustainerId);
    const organisationName = this.config.organisationName ?? DEFAULT_ORGANISATION_NAME;
    const from = `${year}-01-01`;
    const to = `${year + 1}-01-01`;
    const gifts = donationRows(this.readModels.db, { sustainerId, from, to }).map((d) => {
      const view = this.donationView(d, viewer);
      const usd = d.currency === 'USD';
      const goods = d.goods_minor > 0;
      const kept = d.refunded_on === null;
      return {
        donationId: view.donationId,
        dateReceived: view.receivedOn,
        fundId: view.fundId,
        fundCode: view.fundCode,
        fundName: view.fundName,
        pledgeId: view.pledgeId,
        amountMinor: d.amount_minor,
        currency: d.currency,
        method: d.method,
        goodsOrServicesProvided: goods,
        goodsServicesValueMinor: d.goods_minor,
        /** What exceeds the value given back: the part that is a gift. */
        contributionMinor: d.amount_minor - d.goods_minor,
        refundedOn: d.refunded_on,
        acknowledgement:
          usd && kept && d.amount_minor >= ACKNOWLEDGEMENT_THRESHOLD_USD_MINOR
            ? {
                organisationName,
                dateReceived: d.received_on,
                amountMinor: d.amount_minor,
                currency: d.currency,
                goodsOrServicesProvided: goods,
                goodsServicesValueMinor: d.goods_minor,
                statement: goods
                  ? `${organisationName} provided goods or services valued at ${formatMinor(d.goods_minor)} USD in return for this contribution.`
                  : `No goods or services were provided in return for this contribution.`,
              }
            : null,
        quidProQuoDisclosureRequired: usd && kept && goods && d.amount_minor > QUID_PRO_QUO_THRESHOLD_USD_MINOR,
      };
    });
    const byFund = new Map<string, { fundId: string; fundCode: string | null; currency: string; receivedMinor: number; refundedMinor: number; goodsServicesValueMinor: number }>();
    const byCurrency = new Map<string, { currency: string; receivedMinor: number; refundedMinor: number; goodsServicesValueMinor: number }>();
    for (const g of gifts) {
      const refunded = g.refundedOn === null ? 0 : g.amountMinor;
      const goods = g.refundedOn === null ? g.goodsServicesValueMinor : 0;
      const f = byFund.get(`${g.fundId}|${g.currency}`) ?? { fundId: g.fundId, fundCode: g.fundCode, currency: g.currency, receivedMinor: 0, refundedMinor: 0, goodsServicesValueMinor: 0 };
      byFund.set(`${g.fundId}|${g.currency}`, { ...f, receivedMinor: f.receivedMinor + g.amountMinor, refundedMinor: f.refundedMinor + refunded, goodsServicesValueMinor: f.goodsServicesValueMinor + goods });
      const c = byCurrency.get(g.currency) ?? { currency: g.currency, receivedMinor: 0, refundedMinor: 0, goodsServicesValueMinor: 0 };
      byCurrency.set(g.currency, { ...c, receivedMinor: c.receivedMinor + g.amountMinor, refundedMinor: c.refundedMinor + refunded, goodsServicesValueMinor: c.goodsServicesValueMinor + goods });
    }
    const net = <T extends { receivedMinor: number; refundedMinor: number }>(t: T) => ({ ...t, netMinor: t.receivedMinor - t.refundedMinor });
    const promised = pledgeStatesOf(this.readModels.db, { sustainerId })
      .filter((s): s is LivePledge => s.status !== 'none')
      .map((s) => {
        const due = dueInstalments(s, `${year}-12-31`).filter((i) => i.dueOn >= from && i.dueOn < to);
        const received = gifts.filter((g) => g.pledgeId === s.made.pledgeId && g.refundedOn === null).reduce((sum, g) => sum + g.amountMinor, 0);
        return { pledgeId: s.made.pledgeId, fundCode: s.made.fundCode, currency: s.made.currency, promisedMinor: due.reduce((sum, i) => sum + i.amountMinor, 0), receivedMinor: received };
      });
    return {
      sustainer: this.view(row, viewer),
      organisationName,
      year,
      gifts,
      totalsByFund: [...byFund.values()].map(net),
      totals: [...byCurrency.values()].map(net),
      pledges: promised,
    };
  }

  /** Raised per fund and month, quarter or year: received by day received, refunds by day refunded, and what pledges promised for it apart. */
  fundTotals(year: number, by: 'month' | 'quarter' | 'year') {
    const from = `${year}-01-01`;
    const to = `${year + 1}-01-01`;
    const periodOf = (day: string) => (by === 'month' ? day.slice(0, 7) : by === 'quarter' ? quarterOf(day) : day.slice(0, 4));
    const rows = new Map<string, { fundId: string; fundCode: string | null; period: string; currency: string; receivedMinor: number; refundedMinor: number; promisedMinor: number }>();
    const add = (fundId: string, day: string, currency: string, delta: { receivedMinor?: number; refundedMinor?: number; promisedMinor?: number }) => {
      const period = periodOf(day);
      const key = `${fundId}|${period}|${currency}`;
      const row = rows.get(key) ?? { fundId, fundCode: findFund(this.readModels.db, fundId)?.code ?? null, period, currency, receivedMinor: 0, refundedMinor: 0, promisedMinor: 0 };
      rows.set(key, {
        ...row,
        receivedMinor: row.receivedMinor + (delta.receivedMinor ?? 0),
        refundedMinor: row.refundedMinor + (delta.refundedMinor ?? 0),
        promisedMinor: row.promisedMinor + (delta.promisedMinor ?? 0),
      });
    };
    for (const r of raisedRows(this.readModels.db, from, to)) add(r.fund_id, r.day, r.currency, { receivedMinor: r.received, refundedMinor: r.refunded });
    for (const s of pledgeStatesOf(this.readModels.db, {})) {
      if (s.status === 'none') continue;
      for (const i of dueInstalments(s, `${year}-12-31`)) if (i.dueOn >= from) add(s.made.fundId, i.dueOn, s.made.currency, { promisedMinor: i.amountMinor });
    }
    const items = [...rows.values()]
      .map((r) => ({ ...r, netMinor: r.receivedMinor - r.refundedMinor }))
      .sort((a, b) => (a.fundCode ?? '').localeCompare(b.fundCode ?? '') || a.period.localeCompare(b.period) || a.currency.localeCompare(b.currency));
    return { year, by, items };
  }
}

/** 12345 → "123.45", by string arithmetic (no floats near money); two decimals as USD has. */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
