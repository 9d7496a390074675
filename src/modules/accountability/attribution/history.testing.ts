import type { RecordedEvent } from '../../../event-store/envelope';
import { addDays } from '../../../shared/calendar';

/**
 * A small simulator of the ledger's money flows, writing the events the modules write (the
 * shapes of their catalogues) without the deciders: funds, sustainers, pledges, gifts, income,
 * transfers, disbursements, improvement expenses, money loans (lent, repaid, forgiven), refunds and
 * reversals. It never overdraws a fund, as the deciders refuse to. Used by the attribution's
 * property test and its benchmark.
 */
export type Step =
  | { kind: 'gift'; sustainer: number; fund: number; amount: number; recurring: boolean }
  | { kind: 'income'; fund: number; amount: number }
  | { kind: 'transfer'; from: number; to: number; amount: number }
  | { kind: 'spend'; fund: number; amount: number; category: number }
  | { kind: 'improvement'; funds: number[]; amount: number }
  | { kind: 'lend'; amount: number; cooperative: number }
  | { kind: 'repay'; pick: number; amount: number }
  | { kind: 'forgive'; pick: number }
  | { kind: 'reverse'; pick: number }
  | { kind: 'reverse-expense'; pick: number }
  | { kind: 'erase'; sustainer: number }
  | { kind: 'next-day'; days: number };

export const SIM_FUNDS = ['general', 'internal-capacity', 'water-autonomy', 'land-trust-improvements', 'revolving-loan-fund'] as const;
export const LOAN_FUND = 4;
export const CATEGORIES = ['staff', 'training-materials', 'water-equipment', 'accounting', 'insurance', 'appeal-mailings'] as const;

const uuid = (prefix: number, n: number): string => {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
};

export class HistorySimulator {
  readonly events: RecordedEvent[] = [];
  private position = 0;
  day: string;
  private counter = 0;
  readonly balances: number[] = SIM_FUNDS.map(() => 0);
  private readonly posted: Array<{ id: string; kind: 'donation' | 'income' | 'disbursement' | 'transfer'; from?: number; to?: number; amount: number; reversed: boolean }> = [];
  private readonly expenses: Array<{ id: string; improvementId: string; charges: Array<{ fund: number; amount: number }>; reversed: boolean }> = [];
  private readonly loans: Array<{ id: string; outstanding: number; closed: boolean }> = [];
  readonly fundIds = SIM_FUNDS.map((_, i) => uuid(1, i));
  readonly sustainerIds: string[];
  private readonly pledgeIds: string[];
  readonly cooperativeIds: string[];
  private readonly propertyId = uuid(7, 1);

  constructor(startDay = '2026-01-01', sustainers = 8, cooperatives = 3) {
    this.day = startDay;
    this.sustainerIds = Array.from({ length: sustainers }, (_, i) => uuid(2, i));
    this.pledgeIds = Array.from({ length: sustainers }, (_, i) => uuid(3, i));
    this.cooperativeIds = Array.from({ length: cooperatives }, (_, i) => uuid(4, i));
    SIM_FUNDS.forEach((code, i) =>
      this.emit('FundOpened', {
        fundId: this.fundIds[i], code, name: code, currency: 'USD', openedAt: this.at(),
        restriction: i === 2 ? { class: 'donor-restricted', purpose: 'water autonomy' } : i === 3 ? { class: 'donor-restricted', purpose: 'land trust property improvements' } : { class: i === 4 ? 'board-designated' : 'unrestricted' },
      }),
    );
    this.sustainerIds.forEach((id, i) => {
      this.emit('SustainerRegistered', { sustainerId: id, anonymous: false, personal: {}, registeredAt: this.at(), registeredBy: 'token:s' });
      this.emit('PledgeMade', { pledgeId: this.pledgeIds[i], sustainerId: id, interval: 'monthly', amountMinor: 1000, currency: 'USD' });
    });
    this.cooperativeIds.forEach((id, i) => this.emit('CooperativeRegistered', { cooperativeId: id, name: `Cooperative ${i}` }));
    this.emit('PropertyRegistered', { propertyId: this.propertyId, address: '1 Commons Way', parcelId: 'P-1', acquiredOn: this.day, status: 'stewarded' });
  }

  /** The events written since the last drain (and forgets them: a long history need not stay in memory). */
  drain(): RecordedEvent[] {
    return this.events.splice(0, this.events.length);
  }

  /** How many steps of each kind of reversal could pick from (to keep long runs from scanning). */
  get openPostings(): number {
    return this.posted.length;
  }

  /** Loans not yet repaid or forgiven (closed ones are dropped as they close, so long runs stay fast). */
  private openLoans(): Array<{ id: string; outstanding: number; closed: boolean }> {
    let w = 0;
    for (const l of this.loans) if (!l.closed) this.loans[w++] = l;
    this.loans.length = w;
    return this.loans;
  }

  private at(): string {
    return `${this.day}T12:00:00.000Z`;
  }

  private nextId(prefix: number): string {
    return uuid(prefix, ++this.counter);
  }

  private emit(type: string, data: object, effectiveAt = this.at()): void {
    this.position += 1;
    this.events.push({
      type, data, eventId: `e${this.position}`, schemaVersion: 1, streamId: 's', streamVersion: 1,
      recordedAt: this.at(), effectiveAt,
      metadata: { actorId: 'token:t', actorRole: 'steward', correlationId: 'c', causationId: 'c' },
      prevHash: '', globalPosition: this.position, hash: '',
    });
  }

  private post(kind: 'donation' | 'income' | 'disbursement' | 'transfer', amount: number, extra: Record<string, unknown>, from: string, to: string, release?: object): string {
    const movementId = this.nextId(5);
    const postings = [{ from, to, amountMinor: amount, asset: 'USD' }];
    this.emit('MovementRequested', { movementId, kind, amountMinor: amount, currency: 'USD', effectiveAt: this.at(), ...extra, postings });
    this.emit('MovementPosted', { movementId, kind, postings, effectiveAt: this.at(), ...(release ? { restrictionRelease: release } : {}) });
    return movementId;
  }

  /** Applies a step if the ledger would accept it; returns whether it did. */
  step(s: Step): boolean {
    const code = (i: number) => `fund:${SIM_FUNDS[i]}`;
    switch (s.kind) {
      case 'next-day':
        this.day = addDays(this.day, s.days);
        return true;
      case 'gift': {
        const i = s.sustainer % this.sustainerIds.length;
        const id = this.post('donation', s.amount, {
          sustainerId: this.sustainerIds[i], fundId: this.fundIds[s.fund], method: 'card', restriction: { class: s.fund === 2 || s.fund === 3 ? 'donor-restricted' : 'unrestricted' },
          ...(s.recurring ? { pledgeId: this.pledgeIds[i] } : {}),
        }, `sustainer:${this.sustainerIds[i]}`, code(s.fund));
        this.balances[s.fund] += s.amount;
        this.posted.push({ id, kind: 'donation', to: s.fund, amount: s.amount, reversed: false });
        return true;
      }
      case 'income': {
        const id = this.post('income', s.amount, { fundId: this.fundIds[s.fund], source: 'grant', category: 'grant' }, 'income:grant', code(s.fund));
        this.balances[s.fund] += s.amount;
        this.posted.push({ id, kind: 'income', to: s.fund, amount: s.amount, reversed: false });
        return true;
      }
      case 'transfer': {
        const restricted = (i: number) => i === 2 || i === 3;
        if (s.from === s.to || restricted(s.from) || this.balances[s.from] < s.amount) return false;
        const id = this.post('transfer', s.amount, { fromFundId: this.fundIds[s.from], toFundId: this.fundIds[s.to] }, code(s.from), code(s.to));
        this.balances[s.from] -= s.amount;
        this.balances[s.to] += s.amount;
        this.posted.push({ id, kind: 'transfer', from: s.from, to: s.to, amount: s.amount, reversed: false });
        return true;
      }
      case 'spend': {
        if (this.balances[s.fund] < s.amount) return false;
        const category = CATEGORIES[s.category % CATEGORIES.length];
        const purpose = s.fund === 2 ? 'water autonomy' : undefined;
        const id = this.post(
          'disbursement', s.amount, { fundId: this.fundIds[s.fund], payee: `Vendor ${s.category % 4}`, category, ...(purpose ? { purpose } : {}) },
          code(s.fund), `vendor:Vendor ${s.category % 4}`, purpose ? { fundId: this.fundIds[s.fund], purpose, amountMinor: s.amount } : undefined,
        );
        this.balances[s.fund] -= s.amount;
        this.posted.push({ id, kind: 'disbursement', from: s.fund, amount: s.amount, reversed: false });
        return true;
      }
      case 'improvement': {
        const funds = [...new Set(s.funds)].filter((f) => f !== 2);
        if (funds.length === 0) return false;
        const share = Math.floor(s.amount / funds.length);
        if (share <= 0 || funds.some((f) => this.balances[f] < share)) return false;
        const improvementId = this.nextId(6);
        const expenseId = this.nextId(8);
        this.emit('ImprovementPlanned', { improvementId, propertyId: this.propertyId, description: 'Roof repair', phase: 'repair', estimateMinor: share * funds.length, currency: 'USD' });
        const postings = funds.map((f) => ({ from: code(f), to: 'vendor:Roofers Coop', amountMinor: share, asset: 'USD' }));
        this.emit('ImprovementExpensePaid', {
          improvementId, propertyId: this.propertyId, expenseId, movementId: expenseId, kind: 'improvement-expense', phase: 'repair', vendor: 'Roofers Coop',
          invoiceReference: `INV-${this.counter}`, amountMinor: share * funds.length, currency: 'USD', effectiveAt: this.at(), postings,
          restrictionReleases: funds.filter((f) => f === 3).map((f) => ({ fundId: this.fundIds[f], purpose: 'land trust property improvements', amountMinor: share })),
        });
        funds.forEach((f) => (this.balances[f] -= share));
        this.expenses.push({ id: expenseId, improvementId, charges: funds.map((f) => ({ fund: f, amount: share })), reversed: false });
        return true;
      }
      case 'reverse-expense': {
        const open = this.expenses.filter((e) => !e.reversed);
        if (open.length === 0) return false;
        const e = open[s.pick % open.length];
        e.reversed = true;
        this.emit('ImprovementExpenseReversed', {
          improvementId: e.improvementId, propertyId: this.propertyId, expenseId: e.id, movementId: this.nextId(9), kind: 'improvement-expense-reversal',
          vendor: 'Roofers Coop', amountMinor: e.charges.reduce((a, c) => a + c.amount, 0), currency: 'USD', effectiveAt: this.at(), reason: 'error',
          postings: e.charges.map((c) => ({ from: 'vendor:Roofers Coop', to: code(c.fund), amountMinor: c.amount, asset: 'USD' })), restoredToHolds: false,
        });
        e.charges.forEach((c) => (this.balances[c.fund] += c.amount));
        return true;
      }
      case 'lend': {
        if (this.balances[LOAN_FUND] < s.amount) return false;
        const loanId = this.nextId(10);
        const borrowerId = this.cooperativeIds[s.cooperative % this.cooperativeIds.length];
        this.emit('MoneyLoanDisbursed', {
          loanId, movementId: this.nextId(11), kind: 'loan-disbursement', lender: { kind: 'fund', fundId: this.fundIds[LOAN_FUND], fundCode: SIM_FUNDS[LOAN_FUND] },
          lenderAccount: code(LOAN_FUND), borrowerId, amountMinor: s.amount, currency: 'USD', purpose: 'equipment', disbursedOn: this.day, effectiveAt: this.at(),
          postings: [{ from: code(LOAN_FUND), to: `loan:${loanId}`, amountMinor: s.amount, asset: 'USD' }],
        });
        this.balances[LOAN_FUND] -= s.amount;
        this.loans.push({ id: loanId, outstanding: s.amount, closed: false });
        return true;
      }
      case 'repay': {
        const open = this.openLoans();
        if (open.length === 0) return false;
        const loan = open[s.pick % open.length];
        const amount = Math.min(s.amount, loan.outstanding);
        loan.outstanding -= amount;
        if (loan.outstanding === 0) loan.closed = true;
        this.emit('MoneyLoanRepaid', {
          loanId: loan.id, movementId: this.nextId(12), kind: 'loan-repayment', repaymentId: this.nextId(13), amountMinor: amount, paidOn: this.day,
          effectiveAt: this.at(), outstandingMinor: loan.outstanding, postings: [{ from: `loan:${loan.id}`, to: code(LOAN_FUND), amountMinor: amount, asset: 'USD' }],
        });
        this.balances[LOAN_FUND] += amount;
        return true;
      }
      case 'forgive': {
        const open = this.openLoans();
        if (open.length === 0) return false;
        const loan = open[s.pick % open.length];
        this.emit('MoneyLoanForgiven', {
          loanId: loan.id, movementId: this.nextId(14), kind: 'loan-forgiveness', amountMinor: loan.outstanding, reason: 'hardship', forgivenOn: this.day,
          effectiveAt: this.at(), postings: [{ from: `loan:${loan.id}`, to: 'expense:loan-forgiveness', amountMinor: loan.outstanding, asset: 'USD' }],
        });
        loan.outstanding = 0;
        loan.closed = true;
        return true;
      }
      case 'reverse': {
        const open = this.posted.filter((m) => !m.reversed);
        if (open.length === 0) return false;
        const m = open[s.pick % open.length];
        // A reversal taking money out of a fund needs the money there.
        if ((m.kind === 'donation' || m.kind === 'income') && this.balances[m.to!] < m.amount) return false;
        if (m.kind === 'transfer' && this.balances[m.to!] < m.amount) return false;
        const from = m.kind === 'donation' || m.kind === 'income' || m.kind === 'transfer' ? code(m.to!) : `vendor:x`;
        const to = m.kind === 'disbursement' ? code(m.from!) : m.kind === 'transfer' ? code(m.from!) : m.kind === 'donation' ? 'sustainer:x' : 'income:grant';
        m.reversed = true;
        this.emit('MovementReversed', {
          movementId: m.id, kind: m.kind, reversalOf: m.id, postings: [{ from, to, amountMinor: m.amount, asset: 'USD' }], effectiveAt: this.at(), reason: 'r', reversedBy: 'token:t',
        });
        if (m.kind === 'disbursement') this.balances[m.from!] += m.amount;
        else if (m.kind === 'transfer') {
          this.balances[m.to!] -= m.amount;
          this.balances[m.from!] += m.amount;
        } else this.balances[m.to!] -= m.amount;
        return true;
      }
      case 'erase':
        this.emit('SustainerErased', { sustainerId: this.sustainerIds[s.sustainer % this.sustainerIds.length], erasedAt: this.at(), erasedBy: 'token:t' });
        return true;
    }
  }
}
