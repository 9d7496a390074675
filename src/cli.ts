import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { replayAndCompare } from './audit/replay/replay-projections';
import { describeProblem, storeProbe, verifyLog } from './audit/verify/verify-log';
import { ledgerEventRules } from './audit/event-rules';
import { CommandContext } from './commands/command-context';
import { CommandRunner } from './commands/command-runner';
import { openEventStore, openReadModels } from './commands/ledger-core.module';
import { loadConfig } from './config';
import { issueToken, revokeToken } from './modules/access/manage-tokens';
import { listTokens } from './modules/access/api-token/api-token.projection';
import { ALL_PROJECTIONS, ledgerEventCatalogue } from './composition';
import { ProjectionRunner } from './projections/projection-runner';
import { SystemClock } from './shared/clock';
import { DomainError } from './shared/domain-error';
import { ROLES, Role } from './shared/decider';
import { newId } from './shared/ids';
import { isBusinessDay } from './shared/business-date';

/** The command-line tool: tokens, verification and replay, on the same data as the service. */

const clock = new SystemClock();

function operatorContext(): CommandContext {
  const id = newId();
  return {
    actor: { id: `operator:${userInfo().username}`, role: 'operator' },
    correlationId: id,
    causationId: id,
    now: clock.now(),
  };
}

/** A progress bar on stderr when a person is watching; nothing when output goes to a file or CI. */
function progress(label: string): { update: (value: number, total: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} events`, stream: process.stderr }, Presets.shades_classic);
  let started = false;
  return {
    update: (value, total) => {
      if (!started) {
        bar.start(total, value);
        started = true;
      }
      bar.setTotal(total);
      bar.update(value);
    },
    stop: () => started && bar.stop(),
  };
}

async function withStore<T>(work: (parts: ReturnType<typeof open>) => Promise<T>): Promise<T> {
  const parts = open();
  try {
    return await work(parts);
  } finally {
    await parts.store.close();
  }
}

function open() {
  const config = loadConfig();
  const store = openEventStore(config, clock);
  return { config, store, runner: new CommandRunner(store, ledgerEventCatalogue()) };
}

/**
 * Runs a token command. A refusal (an unknown subject, a token already revoked) is the operator's
 * to fix: its reason and the fields at fault go to stderr and the exit code is 1, with nothing
 * written; anything else is a failure of the tool (exit code 2, below).
 */
async function tokenCommand(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const fields = (error.details.errors as Array<{ field: string; messages: string[] }> | undefined) ?? [];
    process.stderr.write(`ledger: ${error.message} (${error.code})\n`);
    for (const f of fields) process.stderr.write(`  ${f.field}: ${f.messages.join('; ')}\n`);
    process.exitCode = 1;
  }
}

const program = new Command('ledger')
  .description('mutual-aid-ledger command-line tool (data directory from LEDGER_DATA_DIR, default ./data)')
  .showHelpAfterError();

const tokens = program.command('tokens').description('bearer API tokens');

tokens
  .command('create')
  .description('issue a token; its secret is printed once, alone on the last line')
  .addOption(new Option('--role <role>', 'role of the token').choices(ROLES as string[]).makeOptionMandatory())
  .requiredOption('--name <name>', 'who or what holds the token')
  .option('--subject <id>', 'the sustainer or cooperative a sustainer or cooperative token is bound to')
  .action(async (options: { role: Role; name: string; subject?: string }) => {
    await tokenCommand(() =>
      withStore(async ({ runner }) => {
        const issued = await issueToken(runner, operatorContext(), options);
        process.stderr.write(`Issued ${options.role} token ${issued.tokenId} for "${options.name}" (log position ${issued.position}).\n`);
        process.stderr.write('Store the secret now: it is not kept and cannot be shown again.\n');
        process.stdout.write(`${issued.secret}\n`);
      }),
    );
  });

tokens
  .command('revoke <tokenId>')
  .description('revoke a token; requests with it are refused from then on')
  .option('--reason <reason>', 'why it is revoked', 'revoked by operator')
  .action(async (tokenId: string, options: { reason: string }) => {
    await tokenCommand(() =>
      withStore(async ({ runner }) => {
        const position = await revokeToken(runner, operatorContext(), { tokenId, reason: options.reason });
        process.stdout.write(`Revoked ${tokenId} (log position ${position}).\n`);
      }),
    );
  });

tokens
  .command('list')
  .description('list tokens (never their secrets)')
  .action(async () => {
    await withStore(async ({ config, store }) => {
      const readModels = openReadModels(config, ALL_PROJECTIONS);
      try {
        const catalogue = ledgerEventCatalogue();
        await new ProjectionRunner(store, readModels, undefined, undefined, (event) => catalogue.upcast(event)).catchUp();
        for (const t of listTokens(readModels.db)) {
          process.stdout.write(
            `${t.token_id}\t${t.role}\t${t.subject ?? '-'}\t${t.name}\t${t.revoked_at ? `revoked ${t.revoked_at}` : 'active'}\n`,
          );
        }
      } finally {
        readModels.close();
      }
    });
  });

program
  .command('verify')
  .description('recompute every hash and stream link; exit 1 at the first broken event')
  .option('--json', 'print the full report as JSON')
  .action(async (options: { json?: boolean }) => {
    await withStore(async ({ store }) => {
      // A damaged file may fail even this; the verification below then says where.
      const head = await store.headPosition().catch(() => 0);
      const bar = progress('verify');
      const report = await verifyLog(store.readAll(), {
        gapFreePositions: store.positionsAreGapFree,
        rules: ledgerEventRules(ledgerEventCatalogue()),
        probe: storeProbe(store),
        onProgress: (position) => bar.update(position, head),
      });
      bar.stop();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else if (report.ok) {
        process.stdout.write(`OK: ${report.eventsChecked} events in ${report.streamsChecked} streams verified up to position ${report.lastPosition}.\n`);
      } else {
        process.stdout.write(
          `${describeProblem(report.firstProblem!)}\n` +
            `${report.problems.length} problem(s) found in ${report.eventsChecked} events read (up to position ${report.lastPosition}).\n`,
        );
      }
      process.exitCode = report.ok ? 0 : 1;
    });
  });

program
  .command('replay')
  .description('rebuild every projection into a fresh database and compare it with the live one; exit 1 on any difference')
  .action(async () => {
    await withStore(async ({ config, store }) => {
      const scratch = mkdtempSync(join(config.dataDir, 'replay-'));
      const bar = progress('replay');
      try {
        const report = await replayAndCompare({
          store,
          projections: ALL_PROJECTIONS,
          catalogue: ledgerEventCatalogue(),
          liveFile: join(config.dataDir, 'readmodels.db'),
          freshFile: join(scratch, 'readmodels.db'),
          onProgress: (position, target) => bar.update(position, target),
        });
        bar.stop();
        if (report.ok) {
          process.stdout.write(
            `OK: ${report.tablesCompared} tables (${report.rowsCompared} rows) rebuilt from the log up to position ${report.position} are identical.\n`,
          );
        } else {
          for (const s of report.stuck) {
            process.stdout.write(`STUCK: ${s.projection} cannot be rebuilt past position ${s.position} (${s.type} ${s.eventId}): ${s.error}\n`);
          }
          for (const d of report.differences) {
            process.stdout.write(
              `DIFFERENT: ${d.projection}.${d.table}: live ${d.liveRows} rows, rebuilt ${d.rebuiltRows} rows\n  live:    ${d.firstLive ?? '(none)'}\n  rebuilt: ${d.firstRebuilt ?? '(none)'}\n`,
            );
          }
        }
        process.exitCode = report.ok ? 0 : 1;
      } finally {
        bar.stop();
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  });

/** The read models caught up with the log (as `tokens list` does), for the accountant exports. */
async function withCaughtUpReadModels(work: (db: ReturnType<typeof openReadModels>['db'], seedCurrency: string) => void): Promise<void> {
  await withStore(async ({ config, store }) => {
    const readModels = openReadModels(config, ALL_PROJECTIONS);
    try {
      const catalogue = ledgerEventCatalogue();
      await new ProjectionRunner(store, readModels, undefined, undefined, (event) => catalogue.upcast(event)).catchUp();
      work(readModels.db, config.seedCurrency);
    } finally {
      readModels.close();
    }
  });
}

type GlLayout = 'generic' | 'gnucash' | 'quickbooks';
const layoutOption = () => new Option('--layout <layout>', 'CSV columns').choices(['generic', 'gnucash', 'quickbooks']).default('generic');
/** Loaded when an export runs, so the other commands start no slower for them. */
const accounting = async () => ({
  ...(await import('./modules/accounting/accounting-csv')),
  ...(await import('./modules/accounting/accounting.errors')),
  ...(await import('./modules/accounting/general-ledger/general-ledger.queries')),
  ...(await import('./modules/accounting/read-general-ledger/read-general-ledger.handler')),
});
const exportCommands = program.command('export').description('CSV files an accountant imports (the same as GET /v1/exports/...)');

exportCommands
  .command('general-ledger')
  .description('the general ledger of a period on the chart of accounts, as CSV on stdout')
  .requiredOption('--from <day>', 'first business day (YYYY-MM-DD)')
  .requiredOption('--to <day>', 'last business day, included (YYYY-MM-DD)')
  .addOption(layoutOption())
  .action(async (options: { from: string; to: string; layout: GlLayout }) => {
    const { ExportErrors, MAX_EXPORT_LINES, countLines, generalLedgerCsv, glLines } = await accounting();
    await tokenCommand(async () => {
      for (const [name, day] of [['from', options.from], ['to', options.to]] as const) {
        if (!isBusinessDay(day)) throw new DomainError('REQUEST.INVALID', `--${name} must be a calendar date (YYYY-MM-DD)`, 400);
      }
      if (options.from > options.to) throw ExportErrors.periodInvalid(options.from, options.to);
      await withCaughtUpReadModels((db) => {
        const count = countLines(db, options.from, options.to);
        if (count > MAX_EXPORT_LINES) throw ExportErrors.tooLarge(count, MAX_EXPORT_LINES);
        process.stdout.write(generalLedgerCsv(glLines(db, options.from, options.to), options.layout));
      });
    });
  });

exportCommands
  .command('chart-of-accounts')
  .description('the chart of accounts the general ledger uses, as CSV on stdout')
  .addOption(layoutOption())
  .action(async (options: { layout: GlLayout }) => {
    const { chartCsv, chartOfAccounts } = await accounting();
    await withCaughtUpReadModels((db, currency) => process.stdout.write(chartCsv(chartOfAccounts(db, currency), options.layout)));
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`ledger: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
