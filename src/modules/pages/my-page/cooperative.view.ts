import type { ResourceBooking, ResourceView, ThingLoanView } from '../../lending';
import { formatDay, formatMinutes, formatMoney } from '../format';
import { Html, html } from '../html';

export interface MoneyLoanItem {
  readonly loanId: string;
  readonly lender: { readonly kind: string; readonly fundCode?: string; readonly cooperativeId?: string };
  readonly borrowerId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly purpose?: string;
  readonly status?: string;
  readonly disbursedOn?: string;
  readonly schedule?: readonly { readonly dueOn: string; readonly amountMinor: number }[];
  readonly standing?: { readonly status: string; readonly paidMinor: number; readonly outstandingMinor: number; readonly dueMinor: number; readonly behindMinor: number; readonly nextDueOn?: string | null };
}

export interface LabourExchangeItem {
  readonly exchangeId: string;
  readonly workerId: string;
  readonly receiverId: string;
  readonly minutes: number;
  readonly workedOn: string;
  readonly description: string;
  readonly proposedBy: string;
  readonly status: string;
}

export interface CooperativePageData {
  readonly cooperativeId: string;
  readonly name: string;
  readonly today: string;
  readonly csrfToken: string;
  readonly resources: readonly ResourceView[];
  readonly bookings: readonly ResourceBooking[];
  readonly thingLoans: readonly ThingLoanView[];
  readonly moneyLoans: readonly MoneyLoanItem[];
  readonly exchanges: readonly LabourExchangeItem[];
  readonly labour: { readonly balanceMinutes: number; readonly flagged: boolean; readonly limitMinutes?: number } | undefined;
}

/** A short, stable label for another cooperative, whose name a cooperative may not read: the start of its id. */
const other = (id: string) => `cooperative ${id.slice(0, 8)}…`;

function resourcesSection(d: CooperativePageData): Html {
  const booked = (id: string) => d.bookings.filter((b) => b.resourceId === id);
  const free = (r: ResourceView): Html => {
    if (r.status === 'retired') return html`Retired`;
    if (r.status === 'in-repair') return html`In repair`;
    const spans = booked(r.resourceId);
    if (spans.length === 0) return html`Free from today`;
    return html`Taken ${spans.map((b, i) => html`${i > 0 ? ', ' : ''}${formatDay(b.startOn)} to ${formatDay(b.dueOn)}${b.out && b.dueOn < d.today ? ' (overdue, free once returned)' : ''}`)}; free on the other days`;
  };
  const bookable = d.resources.filter((r) => r.ownerId !== d.cooperativeId && r.status !== 'retired');
  return html`<h2 id="resources">Shared resources</h2>
${d.resources.length === 0
  ? html`<p>No resources are shared in the network yet.</p>`
  : html`<div class="table-wrap" role="region" tabindex="0" aria-label="The network's shared resources and when each is free"><table>
<caption>The network's shared resources and when each is free</caption>
<thead><tr><th scope="col">Resource</th><th scope="col">Kind</th><th scope="col">Condition</th><th scope="col">When it is free</th></tr></thead>
<tbody>${d.resources.map(
      (r) => html`<tr><th scope="row">${r.description}${r.ownerId === d.cooperativeId ? html` <span class="muted">(yours)</span>` : null}</th><td>${r.kind}</td><td>${r.condition}</td><td>${free(r)}</td></tr>`,
    )}</tbody>
</table></div>`}
<h3 id="reserve">Reserve a resource</h3>
${bookable.length === 0
  ? html`<p>There is no resource of another cooperative to reserve.</p>`
  : html`<form method="post" action="/my/reservations" class="stack">
<input type="hidden" name="_csrf" value="${d.csrfToken}">
<div><label for="resourceId">Resource</label>
<select id="resourceId" name="resourceId" required>${bookable.map((r) => html`<option value="${r.resourceId}">${r.description} (${r.kind})</option>`)}</select></div>
<div><label for="startOn">From <span class="hint">(today or later)</span></label><input id="startOn" name="startOn" type="date" required min="${d.today}" value="${d.today}"></div>
<div><label for="dueOn">Until <span class="hint">(the day it goes back)</span></label><input id="dueOn" name="dueOn" type="date" required min="${d.today}"></div>
<button type="submit">Reserve</button>
</form>`}`;
}

function thingLoansSection(d: CooperativePageData): Html {
  const row = (l: ThingLoanView) => {
    const resource = d.resources.find((r) => r.resourceId === l.resourceId);
    const side = l.borrowerId === d.cooperativeId ? 'Borrowed' : 'Lent';
    return html`<tr><th scope="row">${resource?.description ?? 'A resource'}</th><td>${side}</td><td>${formatDay(l.startOn)}</td><td>${formatDay(l.dueOn)}</td><td><span class="status ${l.status}">${l.status}</span></td></tr>`;
  };
  const running = d.thingLoans.filter((l) => ['reserved', 'out', 'overdue'].includes(l.status));
  const overdue = running.filter((l) => l.status === 'overdue');
  return html`<h2 id="reservations">Your reservations and loans of things</h2>
${overdue.length > 0 ? html`<p class="notice error">${overdue.length} ${overdue.length === 1 ? 'loan is' : 'loans are'} overdue.</p>` : null}
${d.thingLoans.length === 0
  ? html`<p>You have no reservations or loans of things.</p>`
  : html`<div class="table-wrap" role="region" tabindex="0" aria-label="Reservations and loans, with what is due"><table>
<caption>Reservations and loans, with what is due</caption>
<thead><tr><th scope="col">Resource</th><th scope="col">You</th><th scope="col">From</th><th scope="col">Due back</th><th scope="col">Status</th></tr></thead>
<tbody>${d.thingLoans.map(row)}</tbody>
</table></div>`}`;
}

function moneySection(d: CooperativePageData): Html {
  if (d.moneyLoans.length === 0) return html`<h2 id="money">Money borrowed and lent</h2><p>You have not borrowed or lent money.</p>`;
  return html`<h2 id="money">Money borrowed and lent</h2>
${d.moneyLoans.map((l) => {
  const borrowed = l.borrowerId === d.cooperativeId;
  const counterpart = borrowed ? (l.lender.kind === 'fund' ? `the ${l.lender.fundCode ?? 'network'} fund` : other(l.lender.cooperativeId ?? '')) : other(l.borrowerId);
  const s = l.standing;
  return html`<h3>${borrowed ? 'Borrowed from' : 'Lent to'} ${counterpart}: ${formatMoney(l.amountMinor, l.currency)}${l.purpose ? ` for ${l.purpose}` : ''}</h3>
${s
  ? html`<ul class="figures">
<li>Repaid<span class="amount">${formatMoney(s.paidMinor, l.currency)}</span></li>
<li>Outstanding<span class="amount">${formatMoney(s.outstandingMinor, l.currency)}</span></li>
<li>Due now<span class="amount">${formatMoney(s.dueMinor, l.currency)}</span></li>
<li class="${s.behindMinor > 0 ? 'status behind' : ''}">Overdue<span class="amount">${formatMoney(s.behindMinor, l.currency)}</span></li>
${s.nextDueOn ? html`<li>Next instalment<span class="amount">${formatDay(s.nextDueOn)}</span></li>` : null}
</ul>`
  : html`<p>Status: ${l.status ?? 'pending'} (awaiting a steward's approval).</p>`}
${l.schedule && l.schedule.length > 0
  ? html`<div class="table-wrap" role="region" tabindex="0" aria-label="Repayment schedule"><table>
<caption>Repayment schedule</caption>
<thead><tr><th scope="col">Due</th><th scope="col" class="num">Amount</th><th scope="col">State</th></tr></thead>
<tbody>${l.schedule.map((i) => html`<tr><th scope="row">${formatDay(i.dueOn)}</th><td class="num">${formatMoney(i.amountMinor, l.currency)}</td><td>${i.dueOn < d.today ? 'due' : 'to come'}</td></tr>`)}</tbody>
</table></div>`
  : null}`;
})}`;
}

function labourSection(d: CooperativePageData): Html {
  const toConfirm = d.exchanges.filter((e) => e.status === 'proposed' && e.proposedBy !== d.cooperativeId);
  const waiting = d.exchanges.filter((e) => e.status === 'proposed' && e.proposedBy === d.cooperativeId);
  const counterparts = [...new Set(d.exchanges.flatMap((e) => [e.workerId, e.receiverId]).concat(d.thingLoans.flatMap((l) => [l.ownerId, l.borrowerId])))].filter((id) => id !== d.cooperativeId);
  const describe = (e: LabourExchangeItem) =>
    e.workerId === d.cooperativeId ? `You worked ${formatMinutes(e.minutes)} for ${other(e.receiverId)}` : `${other(e.workerId)} worked ${formatMinutes(e.minutes)} for you`;
  return html`<h2 id="labour">Labour hours</h2>
${d.labour
  ? html`<ul class="figures"><li>Your balance<span class="amount">${formatMinutes(d.labour.balanceMinutes)}</span>${d.labour.flagged ? html`<span class="status behind">past its limit</span>` : html`<span class="muted">positive: worked for others</span>`}</li></ul>`
  : null}
${toConfirm.length > 0
  ? html`<h3>To confirm</h3><ul>${toConfirm.map(
      (e) => html`<li>${describe(e)} on ${formatDay(e.workedOn)}: ${e.description}
<form method="post" action="/my/labour-exchanges/${e.exchangeId}/confirm"><input type="hidden" name="_csrf" value="${d.csrfToken}"><button type="submit">Confirm these hours</button></form></li>`,
    )}</ul>`
  : null}
${waiting.length > 0 ? html`<h3>Waiting for the other cooperative</h3><ul>${waiting.map((e) => html`<li>${describe(e)} on ${formatDay(e.workedOn)}: ${e.description}</li>`)}</ul>` : null}
<h3 id="propose">Propose an exchange of hours</h3>
<form method="post" action="/my/labour-exchanges" class="stack">
<input type="hidden" name="_csrf" value="${d.csrfToken}">
<div><label for="direction">Who worked</label>
<select id="direction" name="direction"><option value="we-worked">We worked for them</option><option value="they-worked">They worked for us</option></select></div>
<div><label for="counterpartId">The other cooperative's id</label><input id="counterpartId" name="counterpartId" required list="counterparts" autocomplete="off" inputmode="text">
<datalist id="counterparts">${counterparts.map((id) => html`<option value="${id}"></option>`)}</datalist></div>
<div><label for="hours">Hours</label><input id="hours" name="hours" type="number" min="0" max="10000" step="1" required value="1"></div>
<div><label for="minutes">and minutes</label><input id="minutes" name="minutes" type="number" min="0" max="59" step="1" value="0"></div>
<div><label for="workedOn">Day worked</label><input id="workedOn" name="workedOn" type="date" required max="${d.today}" value="${d.today}"></div>
<div><label for="description">What was done</label><input id="description" name="description" required maxlength="500"></div>
<button type="submit">Propose</button>
</form>`;
}

export function cooperativeBody(d: CooperativePageData): Html {
  return html`<h1>${d.name}</h1>
<p class="lead">Your cooperative's page: shared resources, your loans and what is due, money borrowed and lent, and labour hours. Only your cooperative can see it.</p>
<nav aria-label="On this page"><ul><li><a href="#resources">Resources</a></li><li><a href="#reservations">Reservations</a></li><li><a href="#money">Money</a></li><li><a href="#labour">Labour hours</a></li></ul></nav>
${resourcesSection(d)}
${thingLoansSection(d)}
${moneySection(d)}
${labourSection(d)}`;
}
