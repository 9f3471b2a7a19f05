import { Command, InvalidArgumentError } from 'commander';
import type { LabLocator } from '../drill/lab-access.js';
import { processIO, stateDirOf } from './io.js';

// Commands are imported when they run: `runbook --help` must not load ajv, ssh2 or listr2.

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return n;
}

interface ExecFlags {
  inventory: string;
  param: string[];
  limit?: string;
  check?: boolean;
  forks: number;
  yes?: boolean;
  json?: boolean;
  startAt?: string;
  resume?: string;
  stateDir?: string;
}

async function runExec(runbook: string | undefined, flags: ExecFlags, check: boolean): Promise<number> {
  const { runRunbook } = await import('../app/start.js');
  const io = processIO();
  const { expandLimitFiles } = await import('../inventory/limit-file.js');
  const limit = flags.limit === undefined ? undefined : expandLimitFiles(flags.limit, io.cwd);
  if (limit !== undefined && !limit.ok) {
    io.err(`error: --limit: ${limit.error}`);
    return 2;
  }
  return runRunbook(
    {
      ...(runbook === undefined ? {} : { runbook }),
      inventory: flags.inventory,
      params: { assignments: flags.param },
      ...(limit === undefined ? {} : { limit: limit.value }),
      check: check || Boolean(flags.check),
      forks: flags.forks,
      yes: Boolean(flags.yes),
      json: Boolean(flags.json),
      ...(flags.startAt === undefined ? {} : { startAt: flags.startAt }),
      ...(flags.resume === undefined ? {} : { resume: flags.resume }),
      stateDir: stateDirOf(flags.stateDir, io.cwd),
    },
    io,
  );
}

/**
 * Ansible's vault flags. They are passed on the way Ansible's own configuration passes them, as
 * ANSIBLE_VAULT_IDENTITY_LIST and ANSIBLE_VAULT_PASSWORD_FILE, which the inventory loader reads.
 */
function vaultOptions(command: Command): Command {
  return command
    .option('--vault-password-file <file>', 'vault password file (or an executable that prints it)')
    .option('--vault-id <[label@]file>', 'vault password file for a vault id (repeatable)', collect, [])
    .hook('preAction', (_, action) => {
      const flags = action.opts<{ vaultPasswordFile?: string; vaultId?: string[] }>();
      if (flags.vaultPasswordFile !== undefined) process.env.ANSIBLE_VAULT_PASSWORD_FILE = flags.vaultPasswordFile;
      if (flags.vaultId && flags.vaultId.length > 0) {
        process.env.ANSIBLE_VAULT_IDENTITY_LIST = [...flags.vaultId, ...(process.env.ANSIBLE_VAULT_IDENTITY_LIST ?? '').split(',').filter(Boolean)].join(',');
      }
    });
}

function runOptions(command: Command): Command {
  return vaultOptions(command)
    .requiredOption('-i, --inventory <inv>', 'inventory name (inventory/<inv>.yaml), file, directory or comma list')
    .option('-p, --param <key=value>', 'set a runbook param (repeatable)', collect, [])
    .option('-l, --limit <pattern>', "only these hosts (Ansible's host patterns; @file reads them from a file)")
    .option('-f, --forks <n>', 'hosts of a step run in parallel', positiveInt, 20)
    .option('--json', 'events as JSON lines on stdout')
    .option('--state-dir <dir>', 'where journals and locks live', undefined);
}

/** What the program that starts the CLI may add: a lab, for drills (bin/runbook.ts has one). */
export interface CliExtensions {
  locateLab?: LabLocator;
}

export function buildProgram(setExit: (code: number) => void, extensions: CliExtensions = {}): Command {
  const program = new Command('runbook')
    .description('Declarative runbooks that back up and recover OpenStack control planes over SSH')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride((error) => {
      // commander exits 1 on usage errors; SPEC says 2. Help and version stay 0.
      if (error.exitCode === 0) process.exit(0);
      process.exit(2);
    });

  program
    .command('validate')
    .description('check runbooks, drills and inventories; errors as file:line:col')
    .argument('[files...]', 'files (default: runbooks/, drills/ and inventory/)')
    .action(async (files: string[]) => {
      const { validate } = await import('../commands/validate.js');
      setExit(await validate(files, processIO()));
    });

  program
    .command('lint')
    .description('policy checks: a run step without check or rollback, destructive commands, secrets on command lines, ...')
    .argument('[files...]', 'runbook files (default: runbooks/)')
    .action(async (files: string[]) => {
      const { lint } = await import('../commands/lint.js');
      setExit(await lint(files, processIO()));
    });

  program
    .command('diff')
    .description('semantic diff of runbook versions for review: steps, params, risk flags, the version bump')
    .argument('[files...]', 'OLD NEW, or with --base the files to compare (default: changed runbooks/)')
    .option('--base <rev>', 'compare with the files at this git revision')
    .option('--json', 'the diff as JSON')
    .action(async (files: string[], flags: { base?: string; json?: boolean }) => {
      const { diffCommand } = await import('../commands/diff.js');
      setExit(await diffCommand(files, { ...(flags.base === undefined ? {} : { base: flags.base }), json: Boolean(flags.json) }, processIO()));
    });

  program
    .command('list')
    .description('runbooks with version and description')
    .action(async () => {
      const { listRunbooks } = await import('../commands/list.js');
      setExit(await listRunbooks(processIO()));
    });

  program
    .command('show')
    .description("a runbook as an operator's document: steps, params, hosts, checks, rollbacks")
    .argument('<runbook>', 'runbook name or file')
    .option('--format <format>', "output format: md (the operator's document)", 'md')
    .action(async (runbook: string, flags: { format: string }) => {
      const { showRunbook } = await import('../commands/show.js');
      setExit(await showRunbook(runbook, processIO(), flags.format));
    });

  vaultOptions(program.command('inventory'))
    .description('show an inventory as a tree or as JSON, like ansible-inventory')
    .requiredOption('-i, --inventory <inv>', 'inventory name, file, directory or comma list')
    .option('--graph', 'group tree (default)')
    .option('--list', 'groups and merged host variables as JSON, like ansible-inventory --list')
    .option('--json', 'the same as --list')
    .option('--list-hosts <pattern>', 'the hosts a pattern selects, like ansible --list-hosts')
    .action(async (flags: { inventory: string; json?: boolean; list?: boolean; listHosts?: string }) => {
      const { showInventory, listPatternHosts } = await import('../commands/inventory.js');
      if (flags.listHosts !== undefined) return setExit(await listPatternHosts(flags.inventory, flags.listHosts, processIO()));
      setExit(await showInventory(flags.inventory, flags.json || flags.list ? 'list' : 'graph', processIO()));
    });

  vaultOptions(program.command('backups'))
    .description('the backup catalog of the storage hosts (id, kind, host, created, size, files, verified, runbook), as Prometheus metrics, or a staleness check')
    .requiredOption('-i, --inventory <inv>', 'inventory name or path')
    .option('--kind <kind>', 'only backups of this kind (db, files)')
    .option('--host <host>', 'only backups taken from this host')
    .option('--json', 'the catalog as JSON')
    .option('--metrics', "Prometheus text (node_exporter's textfile collector): ages, sizes, counts per kind and host")
    .option('-o, --output <file>', 'with --metrics: write the file atomically (temporary file, then rename)')
    .option('--check', 'exit 1, one line per problem, when a backup is missing, stale, untested or refused')
    .option('--max-age <duration>', 'with --check: the newest verified backup must be younger (26h)')
    .option('--max-untested-age <duration>', 'with --check: the newest restore-tested backup must be younger (8d)')
    .option('--expect <kind:pattern>', 'with --check: the backups that must exist (repeatable; default db:controller, files:controller,compute,storage)', collect, [])
    .action(async (flags: { inventory: string; kind?: string; host?: string; json?: boolean; metrics?: boolean; output?: string; check?: boolean; maxAge?: string; maxUntestedAge?: string; expect: string[] }) => {
      const { listBackups } = await import('../commands/backups.js');
      const { inventory, json, metrics, check, ...rest } = flags;
      setExit(await listBackups({ inventory, json: Boolean(json), metrics: Boolean(metrics), check: Boolean(check), ...rest }, processIO()));
    });

  vaultOptions(program.command('schedule'))
    .description('the systemd service and timer (or the crontab line) that run a runbook regularly on this control node')
    .argument('<runbook>', 'runbook name or file')
    .requiredOption('-i, --inventory <inv>', 'inventory name or path')
    .option('-p, --param <key=value>', 'a runbook param for the scheduled runs (repeatable)', collect, [])
    .option('--every <when>', "hourly [:MM] | daily [HH:MM] | weekly [DAY] [HH:MM] | monthly [HH:MM] (default: the runbook's, docs/schedules.md)")
    .option('--format <format>', 'systemd or cron (default: systemd when this node runs it)')
    .option('-o, --output <dir>', 'write the files there (nothing is written without it)')
    // Not --env-file: node 20 takes that option for itself even after the script's name.
    .option('--secrets-file <file>', 'the environment file the scheduled run reads its secrets from (default /etc/runbook/<unit>.env)')
    .option('--max-run <duration>', 'a run still going after this is stopped and rolls back', '6h')
    .option('--stop-timeout <duration>', 'how long a stopped run may take to roll back before it is killed', '1h')
    .option('--state-dir <dir>', 'where the scheduled runs keep journals and locks')
    .action(async (runbook: string, flags: { inventory: string; param: string[]; every?: string; format?: string; output?: string; secretsFile?: string; maxRun: string; stopTimeout: string; stateDir?: string; vaultPasswordFile?: string; vaultId: string[] }) => {
      const { realpathSync } = await import('node:fs');
      const { scheduleRunbook } = await import('../commands/schedule.js');
      const program = { node: realpathSync(process.execPath), script: realpathSync(process.argv[1] ?? '') };
      const { param, vaultPasswordFile, vaultId, ...rest } = flags;
      // The vault flags are file names, not secrets: the scheduled runs get them as they were given.
      const vault = [...(vaultPasswordFile === undefined ? [] : ['--vault-password-file', vaultPasswordFile]), ...vaultId.flatMap((id) => ['--vault-id', id])];
      setExit(await scheduleRunbook({ ...rest, runbook, params: param, vault, program }, processIO()));
    });

  runOptions(program.command('plan'))
    .description('check mode: run only the checks and say per step and host what would change')
    .argument('<runbook>', 'runbook name or file')
    .action(async (runbook: string, flags: ExecFlags) => setExit(await runExec(runbook, flags, true)));

  runOptions(program.command('exec'))
    .description('run a runbook; a failure rolls back what changed')
    .argument('[runbook]', 'runbook name or file (optional with --resume)')
    .option('--check', 'check mode: change nothing')
    .option('-y, --yes', 'answer yes to every confirm question')
    .option('--start-at <step>', 'skip the steps before this one')
    .option('--resume <run-id>', 'continue a journaled run from its first unfinished step')
    .action(async (runbook: string | undefined, flags: ExecFlags) => setExit(await runExec(runbook, flags, false)));

  vaultOptions(program.command('drill'))
    .description('a rehearsed disaster: backup, writes, fault, recovery, verification, report (docs/drills.md)')
    .argument('<drill>', 'drill name (drills/<name>.yaml) or file')
    .requiredOption('-i, --inventory <inv>', 'inventory name or path; it must set runbook_drillable: true')
    .option('--json', 'drill and run events as JSON lines on stdout')
    .option('--state-dir <dir>', 'where journals, locks and drill reports live')
    .action(async (drill: string, flags: { inventory: string; json?: boolean; stateDir?: string }) => {
      const { drillCommand } = await import('../commands/drill.js');
      const io = processIO();
      const locateLab = extensions.locateLab === undefined ? {} : { locateLab: extensions.locateLab };
      setExit(await drillCommand({ drill, inventory: flags.inventory, json: Boolean(flags.json), stateDir: stateDirOf(flags.stateDir, io.cwd), ...locateLab }, io));
    });

  program
    .command('drills')
    .description('past drills: date, drill, outcome, RTO and RPO measured against their objectives')
    .option('--state-dir <dir>', 'where drill reports live')
    .option('--json', 'one JSON object per drill')
    .action(async (flags: { stateDir?: string; json?: boolean }) => {
      const { listDrills } = await import('../commands/drills.js');
      const io = processIO();
      setExit(await listDrills(stateDirOf(flags.stateDir, io.cwd), io, Boolean(flags.json)));
    });

  const runs = program.command('runs').description('journaled runs');
  runs
    .command('list', { isDefault: true })
    .option('--state-dir <dir>', 'where journals live')
    .action(async (flags: { stateDir?: string }) => {
      const { listJournaledRuns } = await import('../commands/runs.js');
      const io = processIO();
      setExit(await listJournaledRuns(stateDirOf(flags.stateDir, io.cwd), io));
    });
  runs
    .command('show')
    .argument('<run-id>')
    .option('--state-dir <dir>', 'where journals live')
    .option('--json', 'the journal as JSON lines')
    .action(async (runId: string, flags: { stateDir?: string; json?: boolean }) => {
      const { showJournaledRun } = await import('../commands/runs.js');
      const io = processIO();
      setExit(await showJournaledRun(stateDirOf(flags.stateDir, io.cwd), runId, Boolean(flags.json), io));
    });

  return program;
}

/**
 * The one boundary where an unexpected throw becomes a message and an exit code: one line, the
 * stack only with RUNBOOK_DEBUG=1. Input errors never get here (they are diagnostics with
 * positions, exit 2); what does is a bug, and exits 1.
 */
function internalError(error: unknown): never {
  const debug = process.env.RUNBOOK_DEBUG === '1';
  if (debug) process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  else {
    const what = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0] ?? ''}` : String(error).split('\n')[0];
    process.stderr.write(`internal error: ${what} (a bug in runbook; RUNBOOK_DEBUG=1 shows where)\n`);
  }
  process.exit(1);
}

/** Runs the command line `argv` and exits with its code; bin/runbook.ts is the program that calls it. */
export function runCli(argv: readonly string[], extensions: CliExtensions = {}): void {
  process.on('uncaughtException', internalError);
  process.on('unhandledRejection', internalError);
  let exitCode = 0;
  buildProgram((code) => (exitCode = code), extensions)
    .parseAsync([...argv])
    .then(() => process.exit(exitCode), internalError);
}
