import { FixedClock } from '../src/shared/clock';
import { newId } from '../src/shared/ids';
import { created, expectReplayMatches, seed, useLedger } from './support/api';
import { ledgerCli } from './support/processes';
import { allEvents } from './support/test-app';

/**
 * Loans spell `instalments` like pledges (issue 11). A release before that wrote
 * `MoneyLoanRequested` at schema version 1 with `repayment.installments`; those events stay in the
 * log as written. Read models and deciders read them upcast to version 2, and `ledger verify`
 * checks them against the schema they were written at, so the old log stays clean.
 */
describe('a money loan requested at schema version 1 (`installments`)', () => {
  const clock = new FixedClock(new Date('2026-10-01T10:00:00.000Z'));
  const ledger = useLedger({ clock, config: { seedFunds: 'default' } });
  const { post, get } = ledger;
  let fundId: string;
  let borrowerId: string;

  beforeAll(async () => {
    fundId = ledger.funds['revolving-loan-fund'];
    expect((await seed.income(ledger, fundId, 100_000, '2026-09-01T08:00:00.000Z')).status).toBe(201);
    borrowerId = (await created(post('/v1/cooperatives', { name: 'Riverside Bakery', sector: 'food', contact: 'hello@riverside.coop' }))).cooperativeId;
  });

  /** What the older release appended for a loan request from a fund: the request and the fund's hold, atomically. */
  const appendV1Request = async (loanId: string) => {
    await ledger.t.store.appendToStreams(
      [
        {
          streamId: `money-loan-${loanId}`,
          expected: 'no_stream',
          events: [
            {
              type: 'MoneyLoanRequested',
              schemaVersion: 1,
              data: {
                loanId,
                lender: { kind: 'fund', fundId, fundCode: 'revolving-loan-fund' },
                lenderAccount: 'fund:revolving-loan-fund',
                borrowerId,
                amountMinor: 60_000,
                currency: 'USD',
                purpose: 'new oven',
                disbursedOn: '2026-10-01',
                repayment: { interval: 'monthly', installments: 3, firstDueOn: '2026-11-01' },
                requestedBy: 'token:older-release-steward',
                recordedAt: '2026-10-01T09:00:00.000Z',
              },
            },
          ],
        },
        { streamId: `fund-${fundId}`, expected: 'any', events: [{ type: 'FundHoldPlaced', schemaVersion: 1, data: { fundId, movementId: loanId, amountMinor: 60_000 } }] },
      ],
      { actorId: 'token:older-release-steward', actorRole: 'steward', correlationId: loanId, causationId: loanId },
    );
    return ledger.t.store.headPosition();
  };

  it('is read with `instalments`, approved on the plan it recorded, and the log still verifies', async () => {
    const loanId = newId();
    const position = await appendV1Request(loanId);

    const pending = (await get(`/v1/money-loans/${loanId}?minPosition=${position}`, ledger.auditor)).body;
    expect(pending).toMatchObject({ loanId, status: 'pending', amountMinor: 60_000 });
    expect(pending.repayment).toEqual({ interval: 'monthly', instalments: 3, firstDueOn: '2026-11-01' });

    // The decider folds the request upcast: the schedule comes from the 3 instalments it recorded.
    const approved = await created(post(`/v1/money-loans/${loanId}/approve`, {}, ledger.steward2));
    expect(approved).toMatchObject({ loanId, status: 'active' });
    const view = (await get(`/v1/money-loans/${loanId}?asOf=2026-10-01`, ledger.auditor)).body;
    expect(view.schedule).toEqual([
      { dueOn: '2026-11-01', amountMinor: 20_000 },
      { dueOn: '2026-12-01', amountMinor: 20_000 },
      { dueOn: '2027-01-01', amountMinor: 20_000 },
    ]);

    // The old event is never rewritten: it is in the log as the older release wrote it.
    const recorded = (await allEvents(ledger.t.store)).find((e) => e.type === 'MoneyLoanRequested' && (e.data as { loanId: string }).loanId === loanId);
    expect(recorded).toMatchObject({ schemaVersion: 1, data: { repayment: { interval: 'monthly', installments: 3, firstDueOn: '2026-11-01' } } });

    expect((await get('/v1/audit/verify', ledger.auditor)).body).toMatchObject({ ok: true, problems: [] });
    const verified = ledgerCli(ledger.t.dataDir, ['verify']);
    expect(verified.stdout).toMatch(/^OK: /);
    expect(verified.status).toBe(0);
    await expectReplayMatches(ledger.t);
  });

  it('writes new requests at version 2 with `instalments`, and refuses the old spelling at the edge', async () => {
    const body = { fromFundId: fundId, borrowerId, amountMinor: 10_000, currency: 'USD', disbursedOn: '2026-10-01' };
    await ledger.refused(() => post('/v1/money-loans', { ...body, repayment: { interval: 'monthly', installments: 2, firstDueOn: '2026-11-01' } }), 400, 'REQUEST.INVALID');
    const { loanId } = await created(post('/v1/money-loans', { ...body, repayment: { interval: 'monthly', instalments: 2, firstDueOn: '2026-11-01' } }));
    const recorded = (await allEvents(ledger.t.store)).find((e) => e.type === 'MoneyLoanRequested' && (e.data as { loanId: string }).loanId === loanId);
    expect(recorded).toMatchObject({ schemaVersion: 2, data: { repayment: { interval: 'monthly', instalments: 2, firstDueOn: '2026-11-01' } } });
    expect((await get(`/v1/money-loans/${loanId}`, ledger.auditor)).body.repayment).toEqual({ interval: 'monthly', instalments: 2, firstDueOn: '2026-11-01' });
    expect((await get('/v1/audit/verify', ledger.auditor)).body).toMatchObject({ ok: true, problems: [] });
  });
});
