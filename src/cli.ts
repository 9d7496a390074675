import 'reflect-metadata';
import { createPublicKey } from 'node:crypto';
import { keyIdOf } from './audit/seals/seal-statement';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { replayAndCompare } from './audit/replay/replay-projections';
import { describeProblem } from './audit/verify/verify-log';
import { verifyStore } from './audit/verify/verify-store';
import { CommandContext } from './commands/command-context';
import { CommandRunner } from './commands/command-runner';
import { openEventStore, openReadModels } from './commands/ledger-core.module';
import { ConfigError, LedgerConfig, kekFilePath, loadConfig, requireKek } from './config';
import { BackupError, backupDataDir, restoreDataDir } from './audit/backup/backup';
import { SqliteEventStore } from './event-store/sqlite/sqlite-event-store';
import { checkKeyFile, inspectKeyFile, rewrapKeyFile } from './modules/sustainers/personal-data/key-store';
import { KeyEncryptionKey, KekError } from './modules/sustainers/personal-data/key-wrap';
import { issueToken, revokeToken } from './modules/access/manage-tokens';
import { listTokens, statusOf } from './modules/access/api-token/api-token.projection';
import { isBusinessInstant } from './shared/business-date';
import { ALL_PROJECTIONS, LEDGER_CATALOGUE, ledgerEventCatalogue, rotateSharedKek } from './composition';
import { checkConservation } from './modules/accountability/attribution/conservation';
import Database from 'better-sqlite3';
import { ProjectionRunner } from './projections/projection-runner';
import { SystemClock } from './shared/clock';
import { DomainError } from './shared/domain-error';
import { ROLES, Role } from './shared/decider';
import { newId } from './shared/ids';
import { openSealKeys, openSealer } from './audit/seals/seal.service';
import { sealVerification } from './audit/seals/verify-seals';
import type { SealCheckSummary } from './audit/seals/seal-checker';
import { trustKeys } from './audit/seals/seal-checker';
import { exportLog } from './audit/seals/export';
import { ImportError, importExport } from './audit/seals/import';
import type { Sealer } from './audit/seals/sealer';
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
 * Runs a CLI write and seals what it wrote (the service may be stopped: then nothing else would
 * seal it, and its next start would take the unsealed events for a forgery). A tail that was
 * already unsealed is left for an operator: `ledger seal` says why.
 */
async function sealing<T>(parts: ReturnType<typeof open>, work: () => Promise<T>): Promise<T> {
  // Instances sharing the log: the one holding the singleton lease seals what the CLI wrote.
  if (parts.config.sharedStateUrl) return work();
  const sealer = openSealer(parts.config, parts.store, ledgerEventCatalogue());
  try {
    await sealer.catchUp();
    const clean = sealer.status().problem === undefined;
    if (clean) sealer.accept();
    const result = await work();
    // Once the log is sealed at all (by the service, or `ledger seal`), every CLI write is too.
    if (clean && (parts.config.sealIntervalSeconds ?? 0) > 0 && sealer.status().lastSeal) await sealer.maybeSeal(true);
    return result;
  } finally {
    await closeSealer(sealer);
  }
}

function closeSealer(sealer: Sealer): Promise<void> {
  return sealer.close();
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
  .option('--expires-at <date>', 'when it stops working (ISO 8601 day or instant); default LEDGER_TOKEN_TTL_DAYS from now')
  .action(async (options: { role: Role; name: string; subject?: string; expiresAt?: string }) => {
    await tokenCommand(() =>
      withStore(async (parts) => {
        if (options.expiresAt !== undefined && !isBusinessInstant(options.expiresAt)) {
          throw new DomainError('REQUEST.INVALID', '--expires-at must be an ISO 8601 date or date-time with an offset', 400);
        }
        const issued = await sealing(parts, () => issueToken(parts.runner, operatorContext(), { ...options, lifetimeDays: parts.config.tokenTtlDays }));
        process.stderr.write(`Issued ${options.role} token ${issued.tokenId} for "${options.name}", expiring ${issued.expiresAt} (log position ${issued.position}).\n`);
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
      withStore(async (parts) => {
        const position = await sealing(parts, () => revokeToken(parts.runner, operatorContext(), { tokenId, reason: options.reason }));
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
        const now = clock.now();
        for (const t of listTokens(readModels.db)) {
          const status = statusOf(t, now);
          const state = status === 'revoked' ? `revoked ${t.revoked_at}` : status === 'expired' ? `expired ${t.expires_at}` : `active${t.expires_at ? ` until ${t.expires_at}` : ''}`;
          process.stdout.write(`${t.token_id}\t${t.role}\t${t.subject ?? '-'}\t${t.name}\t${state}\n`);
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
    await withStore(async ({ config, store }) => {
      // A damaged file may fail even this; the verification below then says where.
      const head = await store.headPosition().catch(() => 0);
      const bar = progress('verify');
      // The seals too: each one's signature and root, and the log against the signer's record.
      const sealer = openSealer(config, store);
      let summary: SealCheckSummary | undefined;
      await sealer.keys.refresh();
      const seals = sealVerification(sealer.keys);
      const report = await verifyStore(store, {
        catalogue: LEDGER_CATALOGUE,
        rules: [seals.rule],
        onProgress: (position) => bar.update(position, head),
        onEnd: (verifier) => (summary = seals.finish(verifier)),
      }).finally(() => closeSealer(sealer));
      bar.stop();
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ...report, seals: summary }, null, 2)}\n`);
      } else if (report.ok) {
        process.stdout.write(`OK: ${report.eventsChecked} events in ${report.streamsChecked} streams verified up to position ${report.lastPosition}.\n`);
        if (summary) {
          process.stdout.write(
            `Seals: ${summary.sealsChecked} checked; ${summary.lastSeal ? `the last covers ${summary.lastSeal.treeSize} events (to position ${summary.lastSeal.lastPosition}), sealed ${summary.lastSeal.sealedAt}` : 'none yet'}; ${summary.unsealedEvents} event(s) not yet sealed.\n`,
          );
        }
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
        // The attribution rebuilt from the log must conserve every gift and cover every outflow (README, Accountability).
        const rebuilt = new Database(join(scratch, 'readmodels.db'), { readonly: true, fileMustExist: true });
        const conservation = (() => {
          try {
            return checkConservation(rebuilt);
          } finally {
            rebuilt.close();
          }
        })();
        for (const problem of conservation.problems) process.stdout.write(`CONSERVATION: ${problem}\n`);
        if (!conservation.ok) process.exitCode = 1;
        if (report.ok && conservation.ok) {
          process.stdout.write(
            `OK: ${report.tablesCompared} tables (${report.rowsCompared} rows) rebuilt from the log up to position ${report.position} are identical.\n` +
              `OK: attribution conserved: ${conservation.originsChecked} gifts and incomes, ${conservation.outflowsChecked} outflows, ${conservation.fundsChecked} funds.\n`,
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
        process.exitCode = report.ok && conservation.ok ? 0 : 1;
      } finally {
        bar.stop();
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  });

program
  .command('seal')
  .description('catch the Merkle tree up with the log and seal (sign) it now if anything is unsealed')
  .option('--accept-tail', 'seal events found unsealed after a clean shutdown, once reviewed')
  .action(async (options: { acceptTail?: boolean }) => {
    await withStore(async ({ config, store }) => {
      const sealer = openSealer(config, store, ledgerEventCatalogue());
      try {
        await sealer.catchUp();
        if (options.acceptTail) sealer.accept();
        const seal = await sealer.maybeSeal(true);
        const status = sealer.status();
        if (status.problem) {
          process.stdout.write(`NOT SEALED: ${status.problem.kind}${status.problem.position !== undefined ? ` at position ${status.problem.position}` : ''}: ${status.problem.detail}\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(
          seal
            ? `Sealed ${seal.treeSize} events (to position ${seal.lastPosition}): root ${seal.rootHash}, key ${seal.keyId}.\n`
            : `Nothing to seal: the last seal covers every event (${status.lastSeal?.treeSize ?? 0}).\n`,
        );
        const latest = await sealer.latestSeal();
        if (latest) process.stdout.write(`${JSON.stringify(latest.data)}\n`);
      } finally {
        await closeSealer(sealer);
      }
    });
  });

program
  .command('seal-key')
  .description("print the public key that signs the ledger's seals (made on first use); --rotate makes a new one")
  .option('--rotate', 'rotate: a SealKeyRotated event signed by the old key and the new one')
  .option('--all', 'print every public key (current, retired, imported) with its id')
  .option('--trust <file>', "trust another signer's public key (SPKI PEM): another instance that seals the same log")
  .action(async (options: { rotate?: boolean; all?: boolean; trust?: string }) => {
    await withStore(async ({ config, store }) => {
      const sealer = openSealer(config, store, ledgerEventCatalogue());
      try {
        if (options.trust !== undefined) {
          const pem = readFileSync(options.trust, 'utf8');
          const keyId = keyIdOf(createPublicKey(pem));
          await sealer.keys.trust(keyId, pem, new Date());
          process.stdout.write(`Trusted seal key ${keyId}.\n`);
          return;
        }
        if (options.rotate) {
          const rotation = await sealer.rotate();
          process.stderr.write(`Rotated the seal key: ${rotation.oldKeyId} -> ${rotation.newKeyId}.\n`);
        }
        const current = await sealer.keys.current();
        await sealer.keys.refresh();
        if (options.all) {
          for (const k of sealer.keys.publicKeys()) process.stdout.write(`# ${k.keyId} ${k.status} since ${k.createdAt}\n${k.publicKey}`);
        } else {
          process.stderr.write(`Seal key ${current.keyId}:\n`);
          process.stdout.write(current.publicKeyPem);
        }
      } finally {
        await closeSealer(sealer);
      }
    });
  });

program
  .command('export')
  .description('write the whole log (events, seals, public keys) as NDJSON to a file or stdout')
  .option('-o, --output <file>', 'the file to write (default: stdout)')
  .action(async (options: { output?: string }) => {
    await withStore(async ({ config, store }) => {
      const sealer = openSealer(config, store);
      await sealer.keys.refresh();
      const keys = sealer.keys.publicKeys().map(({ keyId, publicKey, status }) => ({ keyId, publicKey, status }));
      await closeSealer(sealer);
      const out = options.output ? createWriteStream(options.output) : process.stdout;
      const bar = progress('export');
      for await (const chunk of exportLog(store, keys, { onProgress: (position, head) => bar.update(position, head) })) {
        if (!out.write(chunk)) await once(out, 'drain');
      }
      bar.stop();
      if (options.output) {
        await new Promise<void>((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end((error?: Error | null) => (error ? reject(error) : resolve())));
        process.stderr.write(`Exported the log to ${options.output}.\n`);
      }
    });
  });

program
  .command('import <file>')
  .description('load an export into an empty data directory, verifying every event as it goes; refuses a broken one')
  .requiredOption('--public-key <file...>', 'the public key(s) that signed the export\'s seals (PEM)')
  .action(async (file: string, options: { publicKey: string[] }) => {
    await operatorCommand(async () => {
      const config = loadConfig();
      if (config.store === 'kurrentdb') throw new ImportError('ledger import loads into the embedded store (LEDGER_STORE=sqlite) or PostgreSQL (LEDGER_STORE=postgres), not KurrentDB');
      const keys = trustKeys(options.publicKey.map((p) => readFileSync(p, 'utf8')));
      const bar = progress('import');
      const target = config.store === 'postgres' ? { dataDir: config.dataDir, postgresUrl: config.postgresUrl, sealKeys: () => openSealKeys(config) } : config.dataDir;
      const { report, imported } = await importExport(file, target, keys, (_events, bytes, total) => bar.update(bytes, total));
      bar.stop();
      if (!report.ok) {
        process.stdout.write(`REFUSED: nothing imported.\n${describeProblem(report.firstProblem!)}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`Imported ${imported} events (to position ${report.lastPosition}); ${report.seals.sealsChecked} seal(s) checked. Start the service to rebuild the read models.\n`);
    });
  });

/** A refusal the operator can act on (a configuration, a key, a backup): its message on stderr and exit code 1. */
async function operatorCommand(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof KekError || error instanceof BackupError || error instanceof ImportError)) throw error;
    process.stderr.write(`ledger: ${error.message}\n`);
    process.exitCode = 1;
  }
}

function refuse(message: string): never {
  throw new ConfigError(message);
}

const keysFile = (config: LedgerConfig) => join(config.dataDir, 'keys.db');

const kek = program.command('kek').description('the key-encryption key the data keys in keys.db are wrapped under');

kek
  .command('init')
  .description('create a key-encryption key file (mode 0600): LEDGER_KEK_FILE, or ~/.config/mutual-aid-ledger/kek')
  .option('--file <path>', 'write a new key to this file instead (the next key, for rotate-kek)')
  .option('--if-missing', 'do nothing when the key file exists or LEDGER_KEK is set (npm start runs this)')
  .action(async (options: { file?: string; ifMissing?: boolean }) => {
    await operatorCommand(async () => {
      const config = loadConfig();
      let target: string;
      if (options.file) {
        target = resolve(options.file);
      } else {
        if (process.env.LEDGER_KEK) {
          if (!options.ifMissing) process.stderr.write('LEDGER_KEK is set: no key file is needed.\n');
          return;
        }
        target = kekFilePath()!;
        if (existsSync(target) && options.ifMissing) return;
        if (options.ifMissing && process.env.LEDGER_KEK_FILE) {
          refuse(`LEDGER_KEK_FILE names ${target}, which does not exist; npm start creates only the default key file. Mount or create the key the operator keeps (\`ledger kek init\` creates a new one)`);
        }
        const keys = inspectKeyFile(keysFile(config));
        if (keys?.kekId) {
          refuse(`keys.db in ${config.dataDir} is wrapped under key-encryption key ${keys.kekId}: a new key cannot open it. Give the key it was wrapped with (LEDGER_KEK or LEDGER_KEK_FILE)`);
        }
      }
      if (existsSync(target)) refuse(`${target} exists; a key file is never overwritten`);
      const rel = relative(resolve(config.dataDir), dirname(target));
      if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) refuse(`${target} lies in the data directory: keep the key-encryption key apart from the keys it protects`);
      const text = KeyEncryptionKey.generateText();
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      writeFileSync(target, `${text}\n`, { mode: 0o600, flag: 'wx' });
      process.stderr.write(
        `Created key-encryption key ${KeyEncryptionKey.fromText(text).id} in ${target} (mode 0600).\n` +
          'Keep a copy of it apart from the backups of the data directory: without it no sustainer\'s personal data can be read.\n',
      );
    });
  });

program
  .command('rotate-kek')
  .description('rewrap every data key (keys.db, or the shared key store in PostgreSQL) under a new key-encryption key, in one transaction (then restart the service with it)')
  .option('--new-kek-file <path>', 'the file holding the new key (create it with `ledger kek init --file <path>`); or set LEDGER_NEW_KEK')
  .action(async (options: { newKekFile?: string }) => {
    await operatorCommand(async () => {
      const config = loadConfig();
      const current = requireKek(config);
      const given = options.newKekFile ? readFileSync(resolve(options.newKekFile), 'utf8') : process.env.LEDGER_NEW_KEK;
      if (!given) refuse('give the new key: --new-kek-file <path> or LEDGER_NEW_KEK');
      const next = KeyEncryptionKey.fromText(given);
      let count: number;
      let also = '';
      if (config.sharedStateUrl) {
        // Several instances share the keys in PostgreSQL: one transaction rewraps them for all.
        const rotated = await rotateSharedKek(config.sharedStateUrl, current, next);
        count = rotated.sustainerKeys;
        also = ` (and ${rotated.sharedKeys} shared keys and ${rotated.sealKeys} seal keys in PostgreSQL; restart every instance with the new key)`;
      } else {
        if (!existsSync(keysFile(config))) refuse(`there is no keys.db in ${config.dataDir}`);
        count = rewrapKeyFile(keysFile(config), current, next);
      }
      process.stdout.write(
        `Rewrapped ${count} data keys from key-encryption key ${current.id} to ${next.id}${also}.\n` +
          `Now point LEDGER_KEK_FILE (or LEDGER_KEK) at the new key and start the service. Keep the old key (${config.kekSource}) as long as you keep backups made before now.\n`,
      );
    });
  });

program
  .command('backup <dir>')
  .description('copy every file of the data directory that is not derived into <dir> (new or empty), consistently, while the service runs')
  .action(async (dir: string) => {
    await operatorCommand(async () => {
      const config = loadConfig();
      const started = Date.now();
      const manifest = await backupDataDir(config.dataDir, resolve(dir));
      for (const f of manifest.files) process.stdout.write(`${f.name}\t${f.kind}\t${f.bytes} bytes\tsha256 ${f.sha256}\n`);
      process.stdout.write(
        `Backed up ${manifest.files.length} files (the log up to position ${manifest.logHead}) into ${resolve(dir)} in ${Date.now() - started} ms.\n` +
          (config.store === 'kurrentdb' ? 'The log itself is on KurrentDB: back it up with KurrentDB\'s own tools.\n' : '') +
          (config.store === 'postgres' ? 'The log itself is in PostgreSQL: back it up with PostgreSQL\'s own tools (pg_dump, or base backups with WAL archiving).\n' : '') +
          (config.sharedStateUrl
            ? 'The sustainers\' keys, the secrets and the checkpoints the instances share are in PostgreSQL (LEDGER_POSTGRES_URL): back them up with PostgreSQL\'s own tools too.\n'
            : ''),
      );
      process.stderr.write(`Not in the backup: the key-encryption key (${config.kekSource ?? 'none configured'}). Keep it apart, and keep it as long as the backup.\n`);
    });
  });

program
  .command('restore <dir>')
  .description('restore a backup into the data directory (which must be empty), then verify the log and unwrap every key')
  .action(async (dir: string) => {
    await operatorCommand(async () => {
      const config = loadConfig();
      const notes: string[] = [];
      const { manifest } = await restoreDataDir(resolve(dir), config.dataDir, {
        verify: async (dataDir) => {
          const problems: string[] = [];
          const events = join(dataDir, 'events.db');
          if (existsSync(events)) {
            const store = new SqliteEventStore({ file: events, clock, synchronous: config.sqliteSynchronous });
            try {
              const report = await verifyStore(store, { catalogue: LEDGER_CATALOGUE });
              if (report.ok) notes.push(`the log verifies: ${report.eventsChecked} events in ${report.streamsChecked} streams up to position ${report.lastPosition}`);
              else problems.push(`the log does not verify: ${describeProblem(report.firstProblem!)}`);
            } finally {
              await store.close();
            }
          } else {
            notes.push('no events.db in the backup (the log is elsewhere, e.g. on KurrentDB)');
          }
          if (existsSync(join(dataDir, 'keys.db'))) {
            if (!config.kek) problems.push(`keys.db cannot be checked without its key-encryption key: ${config.kekProblem ?? 'none given'}`);
            else {
              try {
                notes.push(`keys.db: ${checkKeyFile(join(dataDir, 'keys.db'), config.kek)} data keys unwrap under key-encryption key ${config.kek.id}`);
              } catch (error) {
                problems.push(`keys.db: ${(error as Error).message}`);
              }
            }
          }
          return problems;
        },
      });
      process.stdout.write(
        `Restored ${manifest.files.length} files (backup of ${manifest.createdAt}, log up to position ${manifest.logHead}) into ${config.dataDir}; ${notes.join('; ')}.\n` +
          'Start the service: the read models are rebuilt from the log.\n',
      );
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
const books = program.command('books').description('CSV files an accountant imports (the same as GET /v1/exports/...)');

books
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

books
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
