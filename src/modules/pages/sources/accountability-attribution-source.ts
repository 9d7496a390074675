import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Clock } from '../../../shared/clock';
import type { Actor } from '../../../shared/decider';
import { DomainError } from '../../../shared/domain-error';
import { GiftTrace, TraceGiftQuery } from '../../accountability';
import { AttributionSource, GiftAllocation } from '../seams';

/** What one line of a gift's trace says, in words for its giver. */
function allocationsOf(trace: GiftTrace): GiftAllocation[] {
  const currency = trace.currency;
  const paidFor = trace.paidFor.map((line): GiftAllocation => {
    const what =
      line.kind === 'improvement'
        ? `Land trust: ${line.projectDescription ?? 'an improvement'}${line.propertyAddress ? ` at ${line.propertyAddress}` : ''}`
        : line.kind === 'loan-forgiven'
          ? `A loan to ${line.cooperativeName ?? 'a member cooperative'}, forgiven`
          : line.kind === 'refund-shortfall'
            ? 'A refund to another giver'
            : `${line.purpose ?? line.category ?? 'Spending'}${line.payee ? `, paid to ${line.payee}` : ''}`;
    return { description: `${what} (${line.fundCode})`, amountMinor: line.amountMinor, currency, spentOn: line.on };
  });
  const loans = trace.loans
    .filter((loan) => loan.outstandingMinor > 0)
    .map((loan): GiftAllocation => ({
      description: `Lent to ${loan.cooperativeName ?? 'a member cooperative'} on ${loan.lentOn}, not yet repaid`,
      amountMinor: loan.outstandingMinor,
      currency,
    }));
  const held = trace.inFunds.map((f): GiftAllocation => ({
    description: `Not spent yet: in ${f.fundName ?? f.fundCode}${f.purpose ? ` (${f.purpose})` : ''}`,
    amountMinor: f.amountMinor,
    currency,
  }));
  const refunded = trace.refund && trace.refund.fromThisGiftMinor > 0
    ? [{ description: 'Refunded to you', amountMinor: trace.refund.fromThisGiftMinor, currency, spentOn: trace.refund.on }]
    : [];
  return [...paidFor, ...loans, ...held, ...refunded];
}

/**
 * "Where did my gift go" on the sustainer's page: the accountability module's trace of each gift
 * as of today, through the same query (and the same visibility rule: the sustainer's own gifts
 * only) as `GET /v1/me/donations/{id}/attribution`.
 */
@Injectable()
export class AccountabilityAttributionSource extends AttributionSource {
  constructor(
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {
    super();
  }

  async giftsWentTo(viewer: Actor, donationIds: readonly string[]): Promise<ReadonlyMap<string, readonly GiftAllocation[]>> {
    const asOf = this.clock.now().toISOString().slice(0, 10);
    const went = new Map<string, readonly GiftAllocation[]>();
    for (const donationId of donationIds) {
      try {
        went.set(donationId, allocationsOf(await this.queries.execute<TraceGiftQuery, GiftTrace>(new TraceGiftQuery(viewer, donationId, asOf))));
      } catch (error) {
        // Not (yet) in the attribution read model: the page shows that gift without a trace.
        if (!(error instanceof DomainError && error.status === 404)) throw error;
      }
    }
    return went;
  }
}
