import type { DonationView, PledgeView, Statement, SustainerView } from '../../sustainers';
import { formatDay, formatMoney } from '../format';
import { Html, html } from '../html';
import type { GiftAllocation } from '../seams';

export interface SustainerPageData {
  readonly sustainer: SustainerView;
  readonly gifts: readonly DonationView[];
  readonly pledges: readonly PledgeView[];
  readonly statement: Statement;
  readonly years: readonly number[];
  /** Undefined when no attribution source is wired. */
  readonly attribution: ReadonlyMap<string, readonly GiftAllocation[]> | undefined;
}

const INTERVALS: Record<string, string> = { once: 'once', monthly: 'a month', quarterly: 'a quarter', yearly: 'a year' };
/** How many instalments of a schedule are listed (the latest ones): a long pledge stays readable. */
const SCHEDULE_ROWS = 24;

function whereItWent(gift: DonationView, attribution: SustainerPageData['attribution']): Html {
  if (!attribution) return html`<span class="muted">Not available yet</span>`;
  const parts = attribution.get(gift.donationId) ?? [];
  if (parts.length === 0) return html`<span class="muted">Not spent yet</span>`;
  return html`<ul>${parts.map(
    (p) => html`<li>${formatMoney(p.amountMinor, p.currency)} ${p.spentOn ? html`on ${formatDay(p.spentOn)}: ${p.description}` : html`${p.description}`}</li>`,
  )}</ul>`;
}

function giftsSection(data: SustainerPageData): Html {
  if (data.gifts.length === 0) return html`<h2 id="gifts">Your gifts</h2><p>No gifts have been recorded for you yet.</p>`;
  return html`<h2 id="gifts">Your gifts</h2>
<div class="table-wrap" role="region" tabindex="0" aria-label="Every gift, newest first, with where it went"><table>
<caption>Every gift, newest first, with where it went</caption>
<thead><tr><th scope="col">Received</th><th scope="col">Fund</th><th scope="col" class="num">Amount</th><th scope="col">Method</th><th scope="col">Where it went</th><th scope="col">Acknowledgement</th></tr></thead>
<tbody>${data.gifts.map(
    (g) => html`<tr><th scope="row">${formatDay(g.receivedOn)}</th><td>${g.fundName ?? g.fundCode}</td><td class="num">${formatMoney(g.amountMinor, g.currency)}${g.refundedOn ? html`<br><span class="muted">refunded ${formatDay(g.refundedOn)}</span>` : null}</td><td>${g.method}</td>
<td>${whereItWent(g, data.attribution)}</td>
<td><a href="/my/gifts/${g.donationId}/acknowledgement.pdf" download>PDF<span class="muted"> · gift of ${formatDay(g.receivedOn)}</span></a></td></tr>`,
  )}</tbody>
</table></div>`;
}

function pledgeSection(p: PledgeView): Html {
  const latest = p.terms[p.terms.length - 1];
  const shown = p.schedule.slice(-SCHEDULE_ROWS);
  return html`<h3>${formatMoney(latest.amountMinor, p.currency)} ${INTERVALS[latest.interval] ?? latest.interval} to ${p.fundCode} <span class="status ${p.status}">(${p.status})</span></h3>
<ul class="figures" aria-label="Standing of this pledge">
<li>Expected so far<span class="amount">${formatMoney(p.expectedMinor, p.currency)}</span></li>
<li>Received<span class="amount">${formatMoney(p.receivedMinor, p.currency)}</span></li>
<li>${p.arrearsMinor > 0 ? 'Behind by' : 'Ahead by'}<span class="amount">${formatMoney(p.arrearsMinor > 0 ? p.arrearsMinor : p.aheadMinor, p.currency)}</span></li>
${p.nextDue ? html`<li>Next due<span class="amount">${formatDay(p.nextDue.dueOn)}</span></li>` : null}
</ul>
<details><summary>Schedule (${shown.length < p.schedule.length ? `the latest ${shown.length} of ${p.schedule.length} instalments` : `${p.schedule.length} instalments`})</summary>
<div class="table-wrap" role="region" tabindex="0" aria-label="Instalments of this pledge, from ${formatDay(p.startDate)}"><table>
<caption>Instalments of this pledge, from ${formatDay(p.startDate)}</caption>
<thead><tr><th scope="col">Due</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Covered</th><th scope="col">State</th></tr></thead>
<tbody>${shown.map(
    (i) => html`<tr><th scope="row">${formatDay(i.dueOn)}</th><td class="num">${formatMoney(i.amountMinor, p.currency)}</td><td class="num">${formatMoney(i.coveredMinor, p.currency)}</td><td>${i.state}</td></tr>`,
  )}</tbody>
</table></div>
</details>`;
}

function statementSection(data: SustainerPageData): Html {
  const s = data.statement;
  return html`<h2 id="statement">Your statement for ${s.year}</h2>
<form method="get" action="/my" class="inline">
<label for="year">Year</label>
<select id="year" name="year">${data.years.map((y) => html`<option value="${y}"${y === s.year ? html` selected` : null}>${y}</option>`)}</select>
<button type="submit">Show</button>
</form>
${s.totals.length === 0
  ? html`<p>No gifts were received from you in ${s.year}.</p>`
  : html`<ul class="figures">${s.totals.map(
      (t) => html`<li>Given in ${s.year}<span class="amount">${formatMoney(t.netMinor, t.currency)}</span>${t.refundedMinor > 0 ? html`<span class="muted">after ${formatMoney(t.refundedMinor, t.currency)} refunded</span>` : null}</li>`,
    )}</ul>`}
<ul class="downloads">
<li><a href="/my/statement.pdf?year=${s.year}" download>Download the ${s.year} statement (PDF)</a></li>
<li><a href="/my/statement.csv?year=${s.year}" download>Download the ${s.year} statement (CSV)</a></li>
</ul>`;
}

export function sustainerBody(data: SustainerPageData): Html {
  const name = data.sustainer.displayName ?? 'you';
  return html`<h1>Your giving, ${name}</h1>
<p class="lead">Your gifts, your pledges and your statements. Only you can see this page.${data.sustainer.anonymous ? ' You give anonymously: your name never appears on public pages.' : ''}</p>
${giftsSection(data)}
<h2 id="pledges">Your pledges</h2>
${data.pledges.length === 0 ? html`<p>You have no pledges.</p>` : data.pledges.map(pledgeSection)}
${statementSection(data)}`;
}
