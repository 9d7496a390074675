import { readFileSync } from 'node:fs';
import { CommandContext } from '../../commands/command-context';
import { CommandRunner } from '../../commands/command-runner';
import { StreamAppend } from '../../event-store/event-store.port';
import { DomainError } from '../../shared/domain-error';
import { newId } from '../../shared/ids';
import { Restriction, fundCodeStream, fundDecider, fundStream } from './fund/fund.decider';
import { newFundsEvents } from './funds-writes';

export interface SeedFund {
  readonly code: string;
  readonly name: string;
  readonly restriction: Restriction;
}

/** The lines of work a new network starts with (DOMAIN.md); replace with LEDGER_SEED_FUNDS=<file.json>. */
export const DEFAULT_FUNDS: readonly SeedFund[] = [
  { code: 'general', name: 'General fund', restriction: { class: 'unrestricted' } },
  { code: 'internal-capacity', name: 'Internal capacity (staff)', restriction: { class: 'board-designated', purpose: 'staff and internal capacity' } },
  { code: 'training-materials', name: 'Training materials', restriction: { class: 'board-designated', purpose: 'formalising training materials' } },
  { code: 'land-trust-improvements', name: 'Land-trust property improvements', restriction: { class: 'donor-restricted', purpose: 'land trust property improvements' } },
  { code: 'water-autonomy', name: 'Water autonomy', restriction: { class: 'donor-restricted', purpose: 'water autonomy initiatives' } },
  { code: 'revolving-loan-fund', name: 'Revolving loan fund', restriction: { class: 'board-designated', purpose: 'zero-interest loans to member cooperatives' } },
];

/** Written with the seeded funds in one atomic append: a ledger is seeded once, ever. */
const SEED_STREAM = 'ledger-seed';

export function seedFundsFrom(setting: string): readonly SeedFund[] {
  if (setting === 'none') return [];
  if (setting === 'default') return DEFAULT_FUNDS;
  return JSON.parse(readFileSync(setting, 'utf8')) as SeedFund[];
}

/**
 * Opens the seed funds if this ledger has never been seeded. Several instances starting at once
 * race on the seed stream (`no_stream`); exactly one wins and the others find it done.
 */
export async function seedFunds(
  runner: CommandRunner,
  context: CommandContext,
  funds: readonly SeedFund[],
  currency: string,
): Promise<number> {
  if (funds.length === 0) return 0;
  try {
    await runner.run(context, async () => {
      const appends: StreamAppend[] = [
        { streamId: SEED_STREAM, expected: 'no_stream', events: newFundsEvents([{ type: 'LedgerSeeded', data: { codes: funds.map((f) => f.code), currency } }]) },
      ];
      for (const fund of funds) {
        const fundId = newId();
        const events = fundDecider.decide(
          { type: 'OpenFund', fundId, code: fund.code, name: fund.name, currency, restriction: fund.restriction, now: context.now.toISOString() },
          fundDecider.initialState(),
        );
        appends.push(
          { streamId: fundStream(fundId), expected: 'no_stream', events: newFundsEvents(events) },
          { streamId: fundCodeStream(fund.code), expected: 'no_stream', events: newFundsEvents([{ type: 'FundCodeReserved', data: { code: fund.code, fundId } }]) },
        );
      }
      return { appends, response: {} };
    }, { onConflict: () => new DomainError('LEDGER.ALREADY_SEEDED', 'The ledger was seeded before.', 409) });
    return funds.length;
  } catch (error) {
    // Seeded before (or a fund with a seed code already exists): nothing to do.
    if (error instanceof DomainError && error.code === 'LEDGER.ALREADY_SEEDED') return 0;
    throw error;
  }
}
