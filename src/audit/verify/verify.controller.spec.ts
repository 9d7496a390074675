import { VerifyController } from './verify.controller';
import { verifyStore } from './verify-store';

jest.mock('./verify-store', () => ({ verifyStore: jest.fn() }));
jest.mock('../seals/verify-seals', () => ({ sealVerification: () => ({ rule: () => undefined, finish: () => undefined }) }));
jest.mock('../event-rules', () => ({ ledgerEventRules: () => [] }));

describe('GET /v1/audit/verify', () => {
  it('runs one verification at a time: requests arriving together queue, each gets its own report', async () => {
    let active = 0;
    let most = 0;
    let n = 0;
    (verifyStore as jest.Mock).mockImplementation(async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((r) => setTimeout(r, 20));
      active--;
      return { ok: true, eventsChecked: ++n, streamsChecked: 0, lastPosition: 0, problems: [] };
    });
    const controller = new VerifyController(
      {} as never,
      { awaitPosition: async () => undefined } as never,
      {} as never,
      { sealer: { keys: { refresh: () => undefined } } } as never,
    );
    const reports = await Promise.all([controller.verify({}), controller.verify({}), controller.verify({})]);
    expect(most).toBe(1);
    expect(reports.map((r) => r.eventsChecked).sort()).toEqual([1, 2, 3]);
    // A failed verification does not stop the next.
    (verifyStore as jest.Mock).mockRejectedValueOnce(new Error('store unavailable'));
    await expect(controller.verify({})).rejects.toThrow('store unavailable');
    await expect(controller.verify({})).resolves.toMatchObject({ ok: true });
  });
});
