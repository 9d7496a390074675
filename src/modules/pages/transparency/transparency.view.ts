import { barChart, columnChart } from '../charts';
import { formatDay, formatMinutes, formatMoney, monthName, shortMonth } from '../format';
import { Html, html } from '../html';
import type { SealSummary } from '../seams';
import type { TransparencyReport, YearFigures } from './transparency-source';

const money = (minor: number, currency: string) => formatMoney(minor, currency);

type Report = YearFigures['report'];

/** "2026-03" → "March 2026"; a group of months "2026-01+2026-02" → "January 2026, February 2026"; `all` → "the whole year". */
export function groupName(group: string): string {
  if (group === 'all') return 'the whole year';
  return group
    .split('+')
    .sort()
    .map((g) => (/^\d{4}-\d{2}$/.test(g) ? monthName(g) : g))
    .join(', ');
}

const WITHHELD = 'not shown: fewer than 5 sustainers gave';

function currenciesOf(r: Report): string[] {
  const all = new Set<string>([
    ...r.received.total.map((x) => x.currency),
    ...r.received.otherIncome.map((x) => x.currency),
    ...Object.keys(r.received.refundedMinor),
    ...Object.keys(r.spent.totalByCurrency),
    ...r.restrictedReleased.map((x) => x.currency),
    ...r.lending.map((x) => x.currency),
  ]);
  return [...all].sort();
}

/** Each currency's totals; gifts drawn from fewer than five sustainers are not shown, nor any sum that would reveal them. */
function totalsList(r: Report): Html {
  const currencies = currenciesOf(r);
  if (currencies.length === 0 && r.labour.exchanges === 0) return html`<p>Nothing was received or spent in this year.</p>`;
  return html`${currencies.map((c) => {
    const gifts = r.received.total.find((x) => x.currency === c);
    const other = r.received.otherIncome.filter((x) => x.currency === c).reduce((sum, x) => sum + x.amountMinor, 0);
    const refunded = r.received.refundedMinor[c];
    const spent = r.spent.totalByCurrency[c] ?? 0;
    const released = r.restrictedReleased.filter((x) => x.currency === c).reduce((sum, x) => sum + x.amountMinor, 0);
    const lending = r.lending.find((x) => x.currency === c);
    // A sum is shown only when each of its parts is: never one that would reveal a withheld figure.
    const giftsShown = (!gifts || gifts.amountMinor !== null) && refunded !== null;
    return html`<ul class="figures" aria-label="Totals in ${c}">
${giftsShown ? html`<li>Received in all, less refunds<span class="amount">${money((gifts?.amountMinor ?? 0) + other - (refunded ?? 0), c)}</span></li>` : null}
<li>Gifts from sustainers${gifts && gifts.amountMinor !== null ? html` <span class="muted">(${gifts.gifts} gifts from ${gifts.sustainers} sustainers)</span>` : null}<span class="amount">${gifts ? (gifts.amountMinor === null ? WITHHELD : money(gifts.amountMinor, c)) : money(0, c)}</span></li>
<li>Other income (grants and the like)<span class="amount">${money(other, c)}</span></li>
${refunded === undefined || refunded === 0 ? null : html`<li>Refunded to givers<span class="amount">${refunded === null ? 'not shown: fewer than 5 sustainers were refunded' : money(refunded, c)}</span></li>`}
<li>Spent<span class="amount">${money(spent, c)}</span></li>
<li>Restricted money released on its purpose<span class="amount">${money(released, c)}</span></li>
<li>Lent to member cooperatives<span class="amount">${money(lending?.lentMinor ?? 0, c)}</span></li>
<li>Repaid by member cooperatives<span class="amount">${money(lending?.repaidMinor ?? 0, c)}</span></li>
${lending && lending.forgivenMinor !== 0 ? html`<li>Loans forgiven<span class="amount">${money(lending.forgivenMinor, c)}</span></li>` : null}
</ul>`;
  })}
${r.labour.exchanges > 0 ? html`<p>Members exchanged ${formatMinutes(r.labour.minutes)} of labour in ${r.labour.exchanges} ${r.labour.exchanges === 1 ? 'exchange' : 'exchanges'}.</p>` : null}`;
}

/** "1-page summary" of a past year for its <summary>: never a gift total drawn from fewer than five sustainers. */
function summaryOf(r: Report): string {
  const parts = currenciesOf(r).map((c) => {
    const gifts = r.received.total.find((x) => x.currency === c);
    const spent = money(r.spent.totalByCurrency[c] ?? 0, c);
    const refunded = r.received.refundedMinor[c];
    if ((gifts && gifts.amountMinor === null) || refunded === null) return `spent ${spent}`;
    const other = r.received.otherIncome.filter((x) => x.currency === c).reduce((sum, x) => sum + x.amountMinor, 0);
    return `received ${money((gifts?.amountMinor ?? 0) + other - (refunded ?? 0), c)}, spent ${spent}`;
  });
  return parts.join('; ') || 'no money moved';
}

function table(label: string, head: Html, rows: Html[]): Html {
  return html`<div class="table-wrap" role="region" tabindex="0" aria-label="${label}"><table>
<caption>${label}</caption>
<thead><tr>${head}</tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

function yearSection(y: YearFigures, headingLevel: 2 | 3): Html {
  const id = `y${y.year}`;
  const r = y.report;
  const h = headingLevel + 1;
  const heading = headingLevel === 2 ? html`<h2 id="${id}">This year, ${y.year}</h2>` : html`<h3 id="${id}">${y.year}</h3>`;
  const currencies = currenciesOf(r);
  const suffix = (c: string) => (currencies.length > 1 ? ` (${c})` : '');
  const programs = r.spent.byProgram;
  const income = r.received.otherIncome;
  return html`${heading}
${totalsList(r)}
${programs.length === 0 && r.restrictedReleased.length === 0 && income.length === 0
  ? null
  : html`<h${h}>By program</h${h}>
${currencies.filter((c) => programs.some((p) => p.currency === c)).map((c) =>
  barChart({
    id: `${id}-program-${c}`,
    title: `Spent by program in ${y.year} (${c})`,
    description: 'A bar per program (the paying fund\'s purpose, or its name); the same figures are in the table that follows.',
    tone: 'spent',
    rows: programs.filter((p) => p.currency === c).map((p) => ({ label: p.program, value: p.amountMinor, text: money(p.amountMinor, c) })),
  }),
)}
${programs.length === 0 ? null : table(`Spent by program, ${y.year}`, html`<th scope="col">Program</th><th scope="col" class="num">Spent</th>`,
  programs.map((p) => html`<tr><th scope="row">${p.program}</th><td class="num">${money(p.amountMinor, p.currency)}</td></tr>`))}
${r.restrictedReleased.length === 0 ? null : table(`Restricted money released on its purpose, ${y.year}`, html`<th scope="col">Purpose</th><th scope="col" class="num">Released</th>`,
  r.restrictedReleased.map((x) => html`<tr><th scope="row">${x.purpose}</th><td class="num">${money(x.amountMinor, x.currency)}</td></tr>`))}
${income.length === 0 ? null : table(`Other income by kind, ${y.year}`, html`<th scope="col">Kind</th><th scope="col" class="num">Received</th>`,
  income.map((x) => html`<tr><th scope="row">${x.category}</th><td class="num">${money(x.amountMinor, x.currency)}</td></tr>`))}`}
${currencies.map((c) => {
  const months: string[] = [];
  for (let m = 1; m <= 12; m++) {
    const month = `${y.year}-${String(m).padStart(2, '0')}`;
    if (month > y.lastMonth) break;
    months.push(month);
  }
  const spentIn = (month: string) => r.spent.byMonth.find((x) => x.currency === c && x.month === month)?.amountMinor ?? 0;
  const gifts = r.received.byMonth.filter((x) => x.currency === c);
  return html`<h${h}>By month${suffix(c)}</h${h}>
${gifts.length === 0
  ? null
  : html`${gifts.every((g) => g.amountMinor === null) ? null : barChart({
      id: `${id}-gifts-${c}`,
      title: `Gifts received by month in ${y.year} (${c})`,
      description: 'A bar per month; months with fewer than five sustainers giving are grouped together, and not shown when still fewer than five. The same figures are in the table that follows.',
      tone: 'received',
      rows: gifts.map((g) => ({ label: groupName(g.group), value: g.amountMinor ?? 0, text: g.amountMinor === null ? WITHHELD : money(g.amountMinor, c) })),
    })}
${table(`Gifts received by month, ${y.year} (${c})`, html`<th scope="col">Month</th><th scope="col" class="num">Gifts</th><th scope="col" class="num">Sustainers</th><th scope="col" class="num">Received</th>`,
  gifts.map((g) => g.amountMinor === null
    ? html`<tr><th scope="row">${groupName(g.group)}</th><td colspan="3">${WITHHELD}</td></tr>`
    : html`<tr><th scope="row">${groupName(g.group)}</th><td class="num">${g.gifts}</td><td class="num">${g.sustainers}</td><td class="num">${money(g.amountMinor, c)}</td></tr>`))}`}
${columnChart({
  id: `${id}-month-${c}`,
  title: `Spent by month in ${y.year} (${c})`,
  description: 'A column per month, what was spent; the same figures are in the table that follows.',
  labels: months.map(shortMonth),
  series: [{ name: 'Spent', tone: 'spent', values: months.map(spentIn) }],
})}
${table(`Spent by month, ${y.year} (${c})`, html`<th scope="col">Month</th><th scope="col" class="num">Spent</th>`,
  months.map((m) => html`<tr><th scope="row">${monthName(m)}</th><td class="num">${money(spentIn(m), c)}</td></tr>`))}`;
})}
${r.landTrustProjectsCompleted.length === 0 ? null : table(`Land-trust projects completed in ${y.year}`, html`<th scope="col">Project</th><th scope="col">Completed</th><th scope="col" class="num">Budget</th><th scope="col" class="num">Cost</th>`,
  r.landTrustProjectsCompleted.map((p) => html`<tr><th scope="row">${p.description}</th><td>${formatDay(p.completedOn)}</td><td class="num">${money(p.estimateMinor, p.currency)}</td><td class="num">${money(p.costMinor, p.currency)}</td></tr>`))}`;
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
${past.map((y) => html`<details><summary>${y.year}: ${summaryOf(y.report)}</summary>
${yearSection(y, 3)}
</details>`)}`
  : null}
${landTrust(report.landTrust)}
${lending(report.lending)}
${seal(latestSeal)}
<h2 id="method">How these figures are made</h2>
<p>${report.method}</p>`;
}
