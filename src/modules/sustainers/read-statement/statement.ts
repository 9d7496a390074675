import type { Actor } from '../../../shared/decider';
import { donationRows } from '../donations/donations.queries';
import { dueInstalments } from '../pledge/pledge-standing';
import { pledgeStatesOf } from '../pledges/pledges.queries';
import { LivePledge, SustainersReader } from '../sustainers-reads';
import type { SustainerRow } from '../sustainers/sustainers.queries';

/** US practice: a single gift of this much (250 USD) or more needs a written acknowledgement. */
const ACKNOWLEDGEMENT_THRESHOLD_USD_MINOR = 25_000;
/** US practice: a payment over 75 USD that bought goods or services needs a statement of their value. */
const QUID_PRO_QUO_THRESHOLD_USD_MINOR = 7_500;

export type Statement = Awaited<ReturnType<typeof statementOf>>;

/**
 * The year's statement (the sustainer's tax receipt): every gift by the day the money arrived,
 * totals by fund, goods and services given in return, and for US gifts of 250 USD or more the
 * acknowledgement fields. What was promised (pledged instalments due in the year) is reported
 * apart from what arrived. `row` is the sustainer the viewer was found allowed to see.
 */
export async function statementOf(reader: SustainersReader, viewer: Actor, row: SustainerRow, year: number, organisationName: string) {
  const sustainerId = row.sustainer_id;
  const from = `${year}-01-01`;
  const to = `${year + 1}-01-01`;
  // Every row is read before the one wait (for the keys), so the statement is one moment of the read models.
  const rows = donationRows(reader.db, { sustainerId, from, to });
  const pledges = pledgeStatesOf(reader.db, { sustainerId });
  const [views, sustainer] = await Promise.all([reader.donationViews(rows, viewer), reader.view(row, viewer)]);
  const gifts = rows.map((d, i) => {
    const view = views[i];
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
                ? `In return for this contribution, ${organisationName} provided goods or services whose value, by its good faith estimate, is ${formatMinor(d.goods_minor)} USD; only the amount of the contribution above that value may be deductible.`
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
  const promised = pledges
    .filter((s): s is LivePledge => s.status !== 'none')
    .map((s) => {
      const due = dueInstalments(s, `${year}-12-31`).filter((i) => i.dueOn >= from && i.dueOn < to);
      const received = gifts.filter((g) => g.pledgeId === s.made.pledgeId && g.refundedOn === null).reduce((sum, g) => sum + g.amountMinor, 0);
      return { pledgeId: s.made.pledgeId, fundCode: s.made.fundCode, currency: s.made.currency, promisedMinor: due.reduce((sum, i) => sum + i.amountMinor, 0), receivedMinor: received };
    });
  return {
    sustainer,
    organisationName,
    year,
    gifts,
    totalsByFund: [...byFund.values()].map(net),
    totals: [...byCurrency.values()].map(net),
    pledges: promised,
  };
}

/** 12345 → "123.45", by string arithmetic (no floats near money); two decimals as USD has. */
export function formatMinor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
