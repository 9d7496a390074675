import { addMonthsClamped, dueDatesBetween } from '../../../shared/schedule';
import type { PledgeMadeData, PledgeState } from './pledge.decider';

export type PledgeStatus = 'on-track' | 'behind' | 'lapsed' | 'paused' | 'completed' | 'cancelled' | 'written-off';

/** A gift against the pledge as the standing needs it; a refund takes it back from its refund day on. */
export interface GiftAgainstPledge {
  readonly receivedOn: string;
  readonly amountMinor: number;
  readonly refundedOn?: string;
}

export interface Instalment {
  readonly dueOn: string;
  readonly amountMinor: number;
  /** What of the received money covers this instalment, oldest instalment first. */
  readonly coveredMinor: number;
  readonly state: 'paid' | 'part-paid' | 'unpaid' | 'upcoming';
}

export interface PledgeStanding {
  readonly asOf: string;
  readonly status: PledgeStatus;
  readonly currency: string;
  /** Promised and due by asOf: a receivable, not cash. */
  readonly expectedMinor: number;
  /** Received by asOf, net of refunds made by then. */
  readonly receivedMinor: number;
  readonly arrearsMinor: number;
  /** Received beyond what was due so far (paid ahead). */
  readonly aheadMinor: number;
  readonly nextDue: { readonly dueOn: string; readonly amountMinor: number } | null;
  /** The whole promise, for a pledge with an end; null while open-ended. */
  readonly totalPromisedMinor: number | null;
  /** For a written-off pledge: what was due and never received when it was written off. */
  readonly writtenOffMinor: number;
  /** Instalments due so far, then the next ones (all of a pledge with an end, one of an open-ended pledge). */
  readonly schedule: readonly Instalment[];
}

/** Open-ended schedules are generated this far past asOf: far enough for the next yearly instalment. */
const HORIZON_MONTHS = 13;
const MAX_INSTALMENTS = 5_000;

type Live = Extract<PledgeState, { made: PledgeMadeData }>;

/**
 * Every instalment the pledge calls for, in date order: each term from its start until the next
 * amendment, skipping paused windows, ending at the end date, the instalment count, or the day it
 * was cancelled or written off.
 */
export function dueInstalments(pledge: Live, horizon: string): Array<{ dueOn: string; amountMinor: number }> {
  const { made, terms, pauses, endedOn } = pledge;
  const last = made.endDate !== undefined && made.endDate < horizon ? made.endDate : horizon;
  const out: Array<{ dueOn: string; amountMinor: number }> = [];
  terms.forEach((term, i) => {
    const until = [terms[i + 1]?.from, endedOn].filter((d): d is string => d !== undefined).sort()[0];
    for (const dueOn of dueDatesBetween(term.from, term.interval, { until, last, max: MAX_INSTALMENTS })) {
      if (pauses.some((p) => p.from <= dueOn && (p.until === undefined || dueOn < p.until))) continue;
      out.push({ dueOn, amountMinor: term.amountMinor });
    }
  });
  return made.instalments !== undefined ? out.slice(0, made.instalments) : out;
}

/** The pledge's standing on a day: a pure function of its events and the gifts received against it. */
export function pledgeStanding(pledge: Live, gifts: readonly GiftAgainstPledge[], asOf: string, lapseAfter: number): PledgeStanding {
  const { made, pauses, endedOn } = pledge;
  const finite = made.instalments !== undefined || made.endDate !== undefined;
  const all = dueInstalments(pledge, addMonthsClamped(asOf, HORIZON_MONTHS));
  const due = all.filter((i) => i.dueOn <= asOf);
  const expectedMinor = due.reduce((sum, i) => sum + i.amountMinor, 0);
  const kept = gifts.filter((g) => g.receivedOn <= asOf && (g.refundedOn === undefined || g.refundedOn > asOf));
  const receivedMinor = kept.reduce((sum, g) => sum + g.amountMinor, 0);
  const arrearsMinor = Math.max(0, expectedMinor - receivedMinor);
  const later = all.filter((i) => i.dueOn > asOf);
  const listed = [...due, ...(finite ? later : later.slice(0, 1))];

  let left = receivedMinor;
  const schedule: Instalment[] = listed.map((i) => {
    const coveredMinor = Math.min(left, i.amountMinor);
    left -= coveredMinor;
    const state = coveredMinor === i.amountMinor ? 'paid' : i.dueOn > asOf ? 'upcoming' : coveredMinor > 0 ? 'part-paid' : 'unpaid';
    return { ...i, coveredMinor, state };
  });

  const ended = endedOn !== undefined && endedOn <= asOf;
  const totalPromisedMinor = finite ? all.reduce((sum, i) => sum + i.amountMinor, 0) : null;
  const lastGift = kept.map((g) => g.receivedOn).sort().at(-1);
  const missedInARow = due.filter((i) => lastGift === undefined || i.dueOn > lastGift).length;

  let status: PledgeStatus;
  if (ended) status = pledge.status === 'written-off' ? 'written-off' : 'cancelled';
  else if (pauses.some((p) => p.from <= asOf && (p.until === undefined || asOf < p.until))) status = 'paused';
  else if (finite && later.length === 0 && receivedMinor >= expectedMinor) status = 'completed';
  else if (arrearsMinor > 0 && missedInARow >= lapseAfter) status = 'lapsed';
  else if (arrearsMinor > 0) status = 'behind';
  else status = 'on-track';

  return {
    asOf,
    status,
    currency: made.currency,
    expectedMinor,
    receivedMinor,
    arrearsMinor,
    aheadMinor: Math.max(0, receivedMinor - expectedMinor),
    nextDue: ended || later.length === 0 ? null : later[0],
    totalPromisedMinor,
    writtenOffMinor: ended && pledge.status === 'written-off' ? arrearsMinor : 0,
    schedule,
  };
}
