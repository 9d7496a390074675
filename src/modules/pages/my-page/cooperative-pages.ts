import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { LEDGER_CONFIG } from '../../../commands/ledger-core.module';
import type { LedgerConfig } from '../../../config';
import { ReadModelDatabase } from '../../../projections/read-model-database';
import { Clock } from '../../../shared/clock';
import {
  GetCooperativeQuery, ListLabourExchangesQuery, ListMoneyLoansQuery, ListResourcesQuery, ListThingLoansQuery, ReadLabourBalancesQuery, currentBookings,
  type ResourceView, type ThingLoanView,
} from '../../lending';
import { page } from '../layout';
import { organisationName, sendPage, viewerOf } from '../page-http';
import type { PageSession } from '../sessions';
import { CooperativePageData, LabourExchangeItem, MoneyLoanItem, cooperativeBody } from './cooperative.view';
import type { DONE } from './my-page.dto';

const MAX_ROWS = 500;

const CONFIRMATIONS: Record<(typeof DONE)[number], string> = {
  reserved: 'Reserved. The reservation is listed below.',
  proposed: 'Proposed. The other cooperative confirms the hours before they count.',
  confirmed: 'Confirmed. The hours now count in both balances.',
};

/** Loads and renders the cooperative's page, as the cooperative's own token would see the network. */
@Injectable()
export class CooperativePages {
  constructor(
    private readonly queries: QueryBus,
    private readonly readModels: ReadModelDatabase,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async data(session: PageSession): Promise<CooperativePageData> {
    const { actor, subject } = session;
    const today = this.clock.now().toISOString().slice(0, 10);
    const [cooperative, resources, thingLoans, moneyLoans, exchanges, labour] = await Promise.all([
      this.queries.execute<GetCooperativeQuery, { name: string }>(new GetCooperativeQuery(actor, subject)),
      this.queries.execute<ListResourcesQuery, { items: ResourceView[] }>(new ListResourcesQuery(actor, { limit: MAX_ROWS })),
      this.queries.execute<ListThingLoansQuery, { items: ThingLoanView[] }>(new ListThingLoansQuery(actor, { cooperativeId: subject, asOf: today, limit: MAX_ROWS })),
      this.queries.execute<ListMoneyLoansQuery, { items: MoneyLoanItem[] }>(new ListMoneyLoansQuery(actor, { cooperativeId: subject, asOf: today, limit: MAX_ROWS })),
      this.queries.execute<ListLabourExchangesQuery, { items: LabourExchangeItem[] }>(new ListLabourExchangesQuery(actor, { cooperativeId: subject, limit: MAX_ROWS })),
      this.queries.execute<ReadLabourBalancesQuery, { items: Array<{ cooperativeId: string; balanceMinutes: number; flagged: boolean; limitMinutes?: number }> }>(
        new ReadLabourBalancesQuery(actor, { cooperativeId: subject, limit: MAX_ROWS }),
      ),
    ]);
    const ids = new Set(resources.items.map((r) => r.resourceId));
    return {
      cooperativeId: subject,
      name: cooperative.name,
      today,
      csrfToken: session.csrfToken,
      resources: resources.items,
      // Only the days taken, never by whom: any member may see when a shared resource is free.
      bookings: currentBookings(this.readModels.db, today).filter((b) => ids.has(b.resourceId)),
      thingLoans: thingLoans.items,
      moneyLoans: moneyLoans.items,
      exchanges: exchanges.items,
      labour: labour.items.find((l) => l.cooperativeId === subject),
    };
  }

  async render(
    reply: FastifyReply,
    session: PageSession,
    options: { done?: (typeof DONE)[number]; status?: number; error?: string },
  ): Promise<void> {
    const data = await this.data(session);
    const notice = options.error ? { kind: 'error' as const, text: options.error } : options.done ? { kind: 'ok' as const, text: CONFIRMATIONS[options.done] } : undefined;
    sendPage(
      reply,
      options.status ?? 200,
      page({ title: data.name, organisationName: organisationName(this.config), viewer: viewerOf(session, 'My page'), notice }, cooperativeBody(data)),
    );
  }
}
