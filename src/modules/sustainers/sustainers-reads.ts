import { Inject, Injectable } from '@nestjs/common';
import { LEDGER_CONFIG } from '../../commands/ledger-core.module';
import { DEFAULT_PLEDGE_LAPSE_INSTALMENTS, type LedgerConfig } from '../../config';
import { ReadModelDatabase } from '../../projections/read-model-database';
import type { Actor } from '../../shared/decider';
import { findFund } from '../funds';
import { DonationRow, donationRows } from './donations/donations.queries';
import { open } from './personal-data/personal-data';
import type { PledgeState } from './pledge/pledge.decider';
import { GiftAgainstPledge, PledgeStanding, pledgeStanding } from './pledge/pledge-standing';
import { SustainerKeys } from './sustainer-keys';
import { disclosureFor } from './sustainer/disclosure';
import { SustainerErrors } from './sustainers.errors';
import { SustainerRow, findSustainerRow, sealedOf } from './sustainers/sustainers.queries';

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

export type LivePledge = Extract<PledgeState, { made: unknown }>;
export type PledgeView = ReturnType<SustainersReader['pledgeView']>;
export type DonationView = ReturnType<SustainersReader['donationFigures']> & { readonly sustainerName: string | null };

export interface Page {
  readonly limit: number;
  readonly after?: string;
}

/** A page of a listing: `next` only when a further page exists (one more row was found). */
export function page<T>(rows: readonly T[], limit: number, cursorOf: (row: T) => string): { items: T[]; next?: string } {
  const items = rows.slice(0, limit);
  return { items, ...(rows.length > limit ? { next: cursorOf(items[items.length - 1]) } : {}) };
}

/**
 * What every sustainers query shares: who may see which sustainer, and how a sustainer, a pledge
 * and a donation are shown. Personal data is opened only here, at query time, with the key store.
 */
@Injectable()
export class SustainersReader {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly keys: SustainerKeys,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  get db() {
    return this.readModels.db;
  }

  get lapseAfter(): number {
    return this.config.pledgeLapseInstalments ?? DEFAULT_PLEDGE_LAPSE_INSTALMENTS;
  }

  /** Stewards and auditors see every sustainer; a sustainer token only its own (anything else is "not found"). */
  visible(viewer: Actor, sustainerId: string): SustainerRow {
    const row = findSustainerRow(this.db, sustainerId);
    const allowed = viewer.role === 'steward' || viewer.role === 'auditor' || (viewer.role === 'sustainer' && viewer.subject === sustainerId);
    if (!row || !allowed) throw SustainerErrors.notFound(sustainerId);
    return row;
  }

  /**
   * Opens the people's data for this reader, by the one disclosure rule (see disclosureFor); never
   * after erasure, when the key is gone. A person's data is opened only if something of it is
   * shown, and the keys of a whole page are read in one go (the key store may be across a network).
   * The rows are read before the keys, so every figure of an answer comes from one moment of the read models.
   */
  async views(rows: readonly SustainerRow[], viewer: Actor): Promise<SustainerView[]> {
    const shownOf = (row: SustainerRow) => disclosureFor(viewer, { sustainerId: row.sustainer_id, anonymous: row.anonymous === 1 });
    const opened = new Set(
      rows.filter((row) => {
        const shown = shownOf(row);
        return row.status !== 'erased' && (shown.name || shown.contacts);
      }),
    );
    const keys = opened.size > 0 ? await this.keys.findMany([...opened].map((row) => row.sustainer_id)) : new Map<string, Buffer>();
    return rows.map((row) => {
      const shown = shownOf(row);
      const person = opened.has(row) ? open(keys.get(row.sustainer_id), row.sustainer_id, sealedOf(row)) : undefined;
      return {
        sustainerId: row.sustainer_id,
        anonymous: row.anonymous === 1,
        erased: row.status === 'erased',
        displayName: shown.name ? person?.displayName ?? null : null,
        email: shown.contacts ? person?.email ?? null : null,
        postalAddress: shown.contacts ? person?.postalAddress ?? null : null,
        registeredAt: row.registered_at,
        erasedAt: row.erased_at,
      };
    });
  }

  async view(row: SustainerRow, viewer: Actor): Promise<SustainerView> {
    return (await this.views([row], viewer))[0];
  }

  private giftsOf(pledgeId: string): GiftAgainstPledge[] {
    return donationRows(this.db, { pledgeId }).map((d) => ({
      receivedOn: d.received_on,
      amountMinor: d.amount_minor,
      ...(d.refunded_on ? { refundedOn: d.refunded_on } : {}),
    }));
  }

  pledgeView(state: LivePledge, asOf: string) {
    const { made, terms, pauses, endedOn } = state;
    const fund = findFund(this.db, made.fundId);
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

  /** Donations as shown to this reader, with the giver's name where the reader may see it (one read of the key store per page). */
  async donationViews(rows: readonly DonationRow[], viewer: Actor): Promise<DonationView[]> {
    const shown = rows.map((d) => this.donationFigures(d));
    const givers = [...new Set(rows.map((d) => d.sustainer_id))].flatMap((id) => findSustainerRow(this.db, id) ?? []);
    const names = new Map((await this.views(givers, viewer)).map((v) => [v.sustainerId, v.displayName]));
    // The name stays where it always was in the answer: after the sustainer's id.
    return shown.map(({ donationId, sustainerId, ...rest }) => ({ donationId, sustainerId, sustainerName: names.get(sustainerId) ?? null, ...rest }));
  }

  async donationView(d: DonationRow, viewer: Actor): Promise<DonationView> {
    return (await this.donationViews([d], viewer))[0];
  }

  private donationFigures(d: DonationRow) {
    const fund = findFund(this.db, d.fund_id);
    return {
      donationId: d.donation_id,
      sustainerId: d.sustainer_id,
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
}
