import { barChart, columnChart } from '../charts';
import { formatDay, formatMoney, monthName, shortMonth } from '../format';
import { Html, html } from '../html';
import type { SealSummary } from '../seams';
import type { FlowFigures, TransparencyReport, YearFigures } from './transparency-source';

const money = (minor: number, currency: string) => formatMoney(minor, currency);

function totalsList(totals: readonly FlowFigures[]): Html {
  if (totals.length === 0) return html`<p>Nothing was received or spent in this year.</p>`;
  return html`${totals.map(
    (t) => html`<ul class="figures" aria-label="Totals in ${t.currency}">
<li>Received<span class="amount">${money(t.receivedMinor, t.currency)}</span></li>
<li>Spent<span class="amount">${money(t.spentMinor, t.currency)}</span></li>
<li>Restricted money released on its purpose<span class="amount">${money(t.releasedMinor, t.currency)}</span></li>
<li>Lent to member cooperatives<span class="amount">${money(t.lentMinor, t.currency)}</span></li>
<li>Repaid by member cooperatives<span class="amount">${money(t.repaidMinor, t.currency)}</span></li>
</ul>`,
  )}`;
}

function yearSection(y: YearFigures, headingLevel: 2 | 3): Html {
  const id = `y${y.year}`;
  const currencies = [...new Set(y.byMonth.map((m) => m.currency))];
  const heading = headingLevel === 2 ? html`<h2 id="${id}">This year, ${y.year}</h2>` : html`<h3 id="${id}">${y.year}</h3>`;
  return html`${heading}
${totalsList(y.totals)}
${y.byFund.length === 0
  ? null
  : html`<h${headingLevel + 1}>By program</h${headingLevel + 1}>
${currencies.map((c) =>
  barChart({
    id: `${id}-fund-${c}`,
    title: `Received by program in ${y.year} (${c})`,
    description: `A bar per fund; the same figures are in the table that follows.`,
    tone: 'received',
    rows: y.byFund.filter((f) => f.currency === c).map((f) => ({ label: f.program, value: f.receivedMinor, text: money(f.receivedMinor, c) })),
  }),
)}
<div class="table-wrap" role="region" tabindex="0" aria-label="Received and spent by program, ${y.year}"><table>
<caption>Received and spent by program, ${y.year}</caption>
<thead><tr><th scope="col">Program (fund)</th><th scope="col" class="num">Received</th><th scope="col" class="num">Spent</th><th scope="col" class="num">Of which restricted, released</th><th scope="col" class="num">Lent</th><th scope="col" class="num">Repaid</th></tr></thead>
<tbody>${y.byFund.map(
    (f) => html`<tr><th scope="row">${f.program}${f.program !== f.fundName ? html` <span class="muted">(${f.fundName})</span>` : null}${f.restriction === 'donor-restricted' ? html` <span class="muted">· donor-restricted</span>` : null}</th>
<td class="num">${money(f.receivedMinor, f.currency)}</td><td class="num">${money(f.spentMinor, f.currency)}</td><td class="num">${money(f.releasedMinor, f.currency)}</td><td class="num">${money(f.lentMinor, f.currency)}</td><td class="num">${money(f.repaidMinor, f.currency)}</td></tr>`,
  )}</tbody>
</table></div>`}
${currencies.map((c) => {
  const months = y.byMonth.filter((m) => m.currency === c);
  return html`<h${headingLevel + 1}>By month${currencies.length > 1 ? ` (${c})` : ''}</h${headingLevel + 1}>
${columnChart({
  id: `${id}-month-${c}`,
  title: `Received and spent by month in ${y.year} (${c})`,
  description: `Two columns per month, received and spent; the same figures are in the table that follows.`,
  labels: months.map((m) => shortMonth(m.month)),
  series: [
    { name: 'Received', tone: 'received', values: months.map((m) => m.receivedMinor) },
    { name: 'Spent', tone: 'spent', values: months.map((m) => m.spentMinor) },
  ],
})}
<div class="table-wrap" role="region" tabindex="0" aria-label="Received and spent by month, ${y.year} (${c})"><table>
<caption>Received and spent by month, ${y.year} (${c})</caption>
<thead><tr><th scope="col">Month</th><th scope="col" class="num">Received</th><th scope="col" class="num">Spent</th><th scope="col" class="num">Lent</th><th scope="col" class="num">Repaid</th></tr></thead>
<tbody>${months.map(
    (m) => html`<tr><th scope="row">${monthName(m.month)}</th><td class="num">${money(m.receivedMinor, c)}</td><td class="num">${money(m.spentMinor, c)}</td><td class="num">${money(m.lentMinor, c)}</td><td class="num">${money(m.repaidMinor, c)}</td></tr>`,
  )}</tbody>
</table></div>`;
})}`;
}

function landTrust(report: TransparencyReport['landTrust']): Html {
  return html`<h2 id="land-trust">Community land trust</h2>
${report.totals.length === 0
  ? html`<p>No improvement projects yet.</p>`
  : html`${report.totals.map(
      (t) => html`<ul class="figures" aria-label="Land trust totals in ${t.currency}">
<li>Budgeted for improvements<span class="amount">${money(t.estimateMinor, t.currency)}</span></li>
<li>Spent so far<span class="amount">${money(t.spentMinor, t.currency)}</span></li>
<li>Set aside, not yet spent<span class="amount">${money(t.remainingMinor, t.currency)}</span></li>
</ul>`,
    )}
<div class="table-wrap" role="region" tabindex="0" aria-label="Improvement projects"><table>
<caption>Improvement projects</caption>
<thead><tr><th scope="col">Project</th><th scope="col">Phase</th><th scope="col">Status</th><th scope="col" class="num">Budget</th></tr></thead>
<tbody>${report.projects.map(
      (p) => html`<tr><th scope="row">${p.description}</th><td>${p.phase}</td><td>${p.status}</td><td class="num">${money(p.estimateMinor, p.currency)}</td></tr>`,
    )}</tbody>
</table></div>
<div class="table-wrap" role="region" tabindex="0" aria-label="Cost by property"><table>
<caption>Cost by property</caption>
<thead><tr><th scope="col">Parcel</th><th scope="col" class="num">Projects</th><th scope="col" class="num">Budget</th><th scope="col" class="num">Spent</th></tr></thead>
<tbody>${report.properties.map(
      (p) => html`<tr><th scope="row">${p.parcelId}</th><td class="num">${p.projects}</td><td class="num">${money(p.estimateMinor, p.currency)}</td><td class="num">${money(p.spentMinor, p.currency)}</td></tr>`,
    )}</tbody>
</table></div>`}`;
}

function lending(report: TransparencyReport['lending']): Html {
  return html`<h2 id="lending">Lending between cooperatives</h2>
<p>Member cooperatives lend each other money at zero interest, and share ${report.sharedResources} ${report.sharedResources === 1 ? 'resource' : 'resources'} (equipment, vehicles, space).</p>
${report.money.length === 0
  ? html`<p>No money has been lent yet.</p>`
  : html`${report.money.map((m) =>
      barChart({
        id: `lending-${m.currency}`,
        title: `Money lent and repaid (${m.currency})`,
        description: 'Lent, repaid, forgiven and still outstanding; the same figures are in the table that follows.',
        tone: 'lent',
        rows: [
          { label: 'Lent', value: m.amountMinor, text: money(m.amountMinor, m.currency) },
          { label: 'Repaid', value: m.paidMinor, text: money(m.paidMinor, m.currency) },
          { label: 'Forgiven', value: m.forgivenMinor, text: money(m.forgivenMinor, m.currency) },
          { label: 'Outstanding', value: m.outstandingMinor, text: money(m.outstandingMinor, m.currency) },
        ],
      }),
    )}
<div class="table-wrap" role="region" tabindex="0" aria-label="Money loans to member cooperatives"><table>
<caption>Money loans to member cooperatives</caption>
<thead><tr><th scope="col">Currency</th><th scope="col" class="num">Loans</th><th scope="col" class="num">Lent</th><th scope="col" class="num">Repaid</th><th scope="col" class="num">Forgiven</th><th scope="col" class="num">Outstanding</th></tr></thead>
<tbody>${report.money.map(
      (m) => html`<tr><th scope="row">${m.currency}</th><td class="num">${m.loans}</td><td class="num">${money(m.amountMinor, m.currency)}</td><td class="num">${money(m.paidMinor, m.currency)}</td><td class="num">${money(m.forgivenMinor, m.currency)}</td><td class="num">${money(m.outstandingMinor, m.currency)}</td></tr>`,
    )}</tbody>
</table></div>`}`;
}

/** The latest signed seal, when a seal source is wired and has one; nothing otherwise. */
function seal(latest: SealSummary | undefined): Html | null {
  if (!latest) return null;
  return html`<h2 id="seal">The ledger's latest signed seal</h2>
<p>Every event up to position ${latest.toPosition} (from ${latest.fromPosition}) is covered by this signed Merkle root, sealed ${latest.sealedAt}.</p>
<dl>
<dt>Merkle root</dt><dd><code>${latest.merkleRoot}</code></dd>
<dt>Signature</dt><dd><code>${latest.signature}</code></dd>
<dt>Public key</dt><dd><code>${latest.publicKey}</code></dd>
</dl>
<p>How to verify it: ${latest.howToVerify}</p>`;
}

export function transparencyBody(report: TransparencyReport, latestSeal: SealSummary | undefined, organisation: string): Html {
  const [current, ...past] = report.years;
  return html`<h1>Where the money goes</h1>
<p class="lead">What ${organisation} received and spent, program by program and month by month, as of ${formatDay(report.asOf)}. Anyone may read this page; no giver is named on it.</p>
<nav aria-label="On this page"><ul>
<li><a href="#y${current.year}">This year</a></li>
${past.length > 0 ? html`<li><a href="#past">Past years</a></li>` : null}
<li><a href="#land-trust">Land trust</a></li>
<li><a href="#lending">Lending</a></li>
${latestSeal ? html`<li><a href="#seal">Signed seal</a></li>` : null}
</ul></nav>
${yearSection(current, 2)}
${past.length > 0
  ? html`<h2 id="past">Past years</h2>
${past.map((y) => html`<details><summary>${y.year}: ${y.totals.map((t) => `received ${money(t.receivedMinor, t.currency)}, spent ${money(t.spentMinor, t.currency)}`).join('; ') || 'no money moved'}</summary>
${yearSection(y, 3)}
</details>`)}`
  : null}
${landTrust(report.landTrust)}
${lending(report.lending)}
${seal(latestSeal)}
<h2 id="method">How these figures are made</h2>
<p>${report.method}</p>`;
}
