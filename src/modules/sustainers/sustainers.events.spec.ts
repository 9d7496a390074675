import { randomBytes } from 'node:crypto';
import { EventCatalogue } from '../../event-store/event-catalogue';
import { LEDGER_EVENTS } from '../../composition';
import { seal } from './personal-data/personal-data';
import { PledgeEvent, PledgeState, pledgeDecider } from './pledge/pledge.decider';
import { SustainerEvent, sustainerDecider } from './sustainer/sustainer.decider';
import { SUSTAINERS_EVENTS } from './sustainers.events';

const catalogue = new EventCatalogue(SUSTAINERS_EVENTS);
const asNew = (e: { type: string; data: unknown }) => ({ type: e.type, schemaVersion: 1, data: e.data as Record<string, unknown> });
const problems = (e: { type: string; data: unknown }) => catalogue.problems(asNew(e)).map((p) => p.field);

const sustainerId = '0190aaaa-0000-7000-8000-000000000001';
const pledgeId = '0190aaaa-0000-7000-8000-000000000002';
const fundId = '0190aaaa-0000-7000-8000-000000000003';
const donationId = '0190aaaa-0000-7000-8000-000000000004';
const now = '2028-01-10T10:00:00.000Z';
const by = 'token:0190aaaa-0000-7000-8000-000000000009';

/** Every event the module's deciders write, from one run through a sustainer's and a pledge's life. */
function lifeOfASustainer(): Array<SustainerEvent | PledgeEvent> {
  const personal = seal(randomBytes(32), sustainerId, { displayName: 'Ada', email: 'ada@example.org', postalAddress: '1 Main St\nTown' });
  const registered = sustainerDecider.decide({ type: 'RegisterSustainer', sustainerId, anonymous: true, personal, by, now }, sustainerDecider.initialState());
  const sustainer = registered.reduce(sustainerDecider.evolve, sustainerDecider.initialState());
  const fund = { fundId, code: 'general', currency: 'USD', status: 'open' as const, restriction: { class: 'unrestricted' as const } };
  const out: PledgeEvent[] = [];
  let state: PledgeState = pledgeDecider.initialState();
  const step = (command: Parameters<typeof pledgeDecider.decide>[0], from: PledgeState = state) => {
    const events = pledgeDecider.decide(command, from);
    out.push(...events);
    return events.reduce(pledgeDecider.evolve, from);
  };
  const made = { type: 'MakePledge' as const, pledgeId, sustainer, sustainerId, fund, amountMinor: 2_500, currency: 'USD', interval: 'monthly', startDate: '2028-01-31', endDate: '2029-12-31', by, now };
  state = step(made);
  state = step({ type: 'ReceiveGift', sustainer, sustainerId, donationId, amountMinor: 2_500, currency: 'USD', receivedOn: '2028-01-31' });
  state = step({ type: 'AmendPledge', sustainer, from: '2028-03-01', amountMinor: 3_000, interval: 'quarterly', by });
  state = step({ type: 'PausePledge', sustainer, from: '2028-04-01', reason: 'travelling', by });
  state = step({ type: 'ResumePledge', sustainer, from: '2028-06-01', by });
  const beforeEnd = state;
  step({ type: 'CancelPledge', sustainer, from: '2028-07-01', reason: 'moved away', by });
  step({ type: 'WriteOffPledge', sustainer, from: '2028-07-01', reason: 'unreachable', by }, beforeEnd);
  const erased = sustainerDecider.decide({ type: 'EraseSustainer', sustainerId, by, now }, sustainer);
  return [...registered, ...erased, ...out];
}

describe('the sustainers event catalogue', () => {
  const events = lifeOfASustainer();

  it('defines every event type the module writes, and accepts each as the deciders write it', () => {
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(SUSTAINERS_EVENTS.map((d) => d.type)));
    for (const event of events) expect({ type: event.type, problems: problems(event) }).toEqual({ type: event.type, problems: [] });
    const ledger = new EventCatalogue(LEDGER_EVENTS);
    for (const event of events) expect(ledger.has(event.type)).toBe(true);
  });

  const of = (type: string) => events.find((e) => e.type === type)!;
  const withData = (type: string, change: Record<string, unknown>) => ({ type, data: { ...(of(type).data as object), ...change } });

  it('refuses anything but a sealed blob in place of personal data', () => {
    const personal = (of('SustainerRegistered').data as unknown as { personal: Record<string, string> }).personal;
    expect(problems(withData('SustainerRegistered', { personal: { ...personal, displayName: 'Ada' } }))).toContain('data.personal.displayName');
    expect(problems(withData('SustainerRegistered', { personal: { ...personal, iv: 'AAAA' } }))).toContain('data.personal.iv');
    expect(problems(withData('SustainerRegistered', { personal: { ...personal, tag: `${personal.tag.slice(1)}!` } }))).toContain('data.personal.tag');
    expect(problems(withData('SustainerRegistered', { personal: { ...personal, ciphertext: 'not base64 at all' } }))).toContain('data.personal.ciphertext');
    expect(problems(withData('SustainerRegistered', { personal: { ...personal, alg: 'none' } }))).toContain('data.personal.alg');
  });

  it('refuses dates outside the supported range, unsafe amounts, unknown fields and unclean text', () => {
    expect(problems(withData('PledgeMade', { startDate: '9999-12-31' }))).toContain('data.startDate');
    expect(problems(withData('PledgeMade', { endDate: '1900-01-01' }))).toContain('data.endDate');
    expect(problems(withData('PledgeMade', { amountMinor: 2 ** 53 }))).toContain('data.amountMinor');
    expect(problems(withData('PledgeMade', { interval: 'weekly' }))).toContain('data.interval');
    expect(problems(withData('PledgeAmended', { amountMinor: 0 }))).toContain('data.amountMinor');
    expect(problems(withData('PledgePaused', { reason: ' travelling' }))).toContain('data.reason');
    expect(problems(withData('PledgeResumed', { note: 'x' }))).toContain('data.note');
    expect(problems(withData('PledgeCancelled', { reason: 'a\ud800' }))).toContain('data.reason');
    expect(problems(withData('PledgeGiftReceived', { receivedOn: '2028-02-30' }))).toContain('data.receivedOn');
    expect(problems(withData('SustainerErased', { erasedAt: '2028-01-10' }))).toContain('data.erasedAt');
    expect(problems(withData('SustainerRegistered', { registeredBy: 'token:\u0000' }))).toContain('data.registeredBy');
  });

  it('still accepts a cancellation recorded with an empty reason before the reason was required', () => {
    expect(problems(withData('PledgeCancelled', { reason: '' }))).toEqual([]);
    expect(problems(withData('PledgeWrittenOff', { reason: '' }))).toEqual([]);
  });
});
