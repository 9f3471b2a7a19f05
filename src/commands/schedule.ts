import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, isAbsolute, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { type CommandIO, EXIT } from '../app/io.js';
import { planRun, refuse } from '../app/prepare.js';
import type { Plan } from '../plan/types.js';
import { parseDuration } from '../runbook/duration.js';
import { cronLine } from '../schedule/cron.js';
import { DEFAULT_EVERY } from '../schedule/defaults.js';
import { parseEvery } from '../schedule/every.js';
import type { ScheduledJob } from '../schedule/job.js';
import { type UnitFile, systemdUnits } from '../schedule/systemd.js';

export interface ScheduleRequest {
  runbook: string;
  inventory: string;
  /** `--param k=v`, as given: they reach the scheduled command line as they are. */
  params: string[];
  /** `--vault-password-file F` and `--vault-id L@F` as given (file names, not secrets), for the scheduled runs. */
  vault?: string[];
  every?: string;
  /** systemd or cron; default: systemd when the control node runs it. */
  format?: string;
  /** Where to write the files; nothing is written without it. */
  output?: string;
  /** The environment file the scheduled run reads its secrets from. */
  secretsFile?: string;
  /** `--state-dir` as given, if it was. */
  stateDir?: string;
  /** `--max-run` and `--stop-timeout`, as durations (`6h`, `45m`). */
  maxRun?: string;
  stopTimeout?: string;
  /** The running program: absolute paths of node and of dist/bin/runbook.js. */
  program: { node: string; script: string };
}

const DEFAULT_MAX_RUN = '6h';
const DEFAULT_STOP_TIMEOUT = '1h';

/**
 * `runbook schedule RUNBOOK --inventory INV`: the systemd service and timer (or the crontab
 * line) that run the runbook regularly on this control node. Everything is validated as
 * `runbook exec` validates it (the runbook, the inventory, the params, the plan) except the
 * secrets, which are the scheduled run's. Writes files only with `--output`. Exit 0, or 2 when
 * anything is refused.
 */
export async function scheduleRunbook(request: ScheduleRequest, io: CommandIO): Promise<number> {
  const format = request.format ?? (existsSync('/run/systemd/system') ? 'systemd' : 'cron');
  if (format !== 'systemd' && format !== 'cron') return refuse(io, `--format ${format}: expected systemd or cron`);
  const stateDir = request.stateDir === undefined ? resolve(io.cwd, '.runbook') : resolve(io.cwd, request.stateDir);
  const planned = await planRun(
    { runbook: request.runbook, inventory: request.inventory, params: { assignments: request.params }, check: false, forks: 20, yes: true, json: false, stateDir },
    io,
    {},
  );
  if (typeof planned === 'number') return planned;
  const job = scheduledJob(request, planned.plan, stateDir, io);
  if (typeof job === 'number') return job;
  const files = format === 'systemd' ? systemdUnits(job, userInfo().username) : [{ name: `${job.name}.cron`, text: cronLine(job) }];
  for (const question of confirmQuestions(planned.plan)) io.err(`warning: the scheduled run answers yes to: ${question}`);
  if (request.output === undefined) {
    io.out(...files.flatMap((f) => [`# ${f.name}`, f.text]));
    io.err(`nothing was installed; --output DIR writes ${files.map((f) => f.name).join(' and ')} there`);
    return EXIT.ok;
  }
  const written = writeFiles(resolve(io.cwd, request.output), files, io);
  if (typeof written === 'number') return written;
  io.out(...written, '', ...nextSteps(format, job, written));
  return EXIT.ok;
}

/** The job to schedule, or a refusal (exit 2) naming the option at fault. */
function scheduledJob(request: ScheduleRequest, plan: Plan, stateDir: string, io: CommandIO): ScheduledJob | number {
  const { runbook, inventory } = plan;
  const everyText = request.every ?? DEFAULT_EVERY[runbook.name];
  if (everyText === undefined) return refuse(io, `${runbook.name} has no default schedule: give one with --every (e.g. --every 'daily 03:00')`);
  const every = parseEvery(everyText);
  if (!every.ok) return refuse(io, every.error);
  const maxRun = seconds('--max-run', request.maxRun ?? DEFAULT_MAX_RUN, io);
  const stopTimeout = seconds('--stop-timeout', request.stopTimeout ?? DEFAULT_STOP_TIMEOUT, io);
  if (typeof maxRun !== 'number' || typeof stopTimeout !== 'number') return EXIT.usage;
  const name = `runbook-${runbook.name}-${unitSafe(basename(inventory.file, extname(inventory.file)))}`;
  const needsYes = confirmQuestions(plan).length > 0;
  const args = [
    'exec', request.runbook, '--inventory', request.inventory,
    ...(request.vault ?? []),
    ...request.params.flatMap((p) => ['--param', p]),
    ...(request.stateDir === undefined ? [] : ['--state-dir', stateDir]),
    // Without a terminal a confirm question is refused unless --yes answers it (app/prepare.ts).
    ...(needsYes ? ['--yes'] : []),
  ];
  const controlled = [...args, request.program.node, request.program.script, io.cwd].find((a) => /[\u0000-\u001f\u007f]/.test(a));
  if (controlled !== undefined) return refuse(io, `${JSON.stringify(controlled)} holds a control character: it cannot be written into a unit or crontab line`);
  const environmentFile = resolve(io.cwd, request.secretsFile ?? `/etc/runbook/${name}.env`);
  return {
    name,
    runbook: runbook.name,
    inventoryFile: inventory.file,
    node: request.program.node,
    script: request.program.script,
    args,
    workingDirectory: io.cwd,
    environmentFile,
    // An optional secret (the age identity) does not make the environment file required: the
    // file is still read when it exists, so an operator whose backups are encrypted puts it there.
    secretVariables: Object.values(runbook.secrets).flatMap((s) => ('env' in s && !s.optional ? [s.env] : [])),
    every: every.value,
    stopTimeoutSec: stopTimeout,
    runTimeoutSec: maxRun,
    logFile: join(stateDir, 'logs', `${name}.log`),
  };
}

function seconds(option: string, text: string, io: CommandIO): number | undefined {
  const ms = parseDuration(text);
  if (ms === undefined || ms < 1000) {
    refuse(io, `${option} ${JSON.stringify(text)}: expected a duration of at least 1s (45m, 6h)`);
    return undefined;
  }
  return Math.ceil(ms / 1000);
}

/** The questions of the plan's confirm steps that will run. */
function confirmQuestions(plan: Plan): string[] {
  return plan.steps.flatMap((s) => (s.step.confirm !== undefined && !s.skipReason ? [`step '${s.step.id}': ${s.step.confirm}`] : []));
}

/** A systemd unit name may hold letters, digits and `:_.-` (and `\` escapes, which are not worth it here). */
function unitSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** Writes each file (no secrets in them, so mode 0644) into dir; their paths, or exit 2. */
function writeFiles(dir: string, files: readonly UnitFile[], io: CommandIO): string[] | number {
  try {
    mkdirSync(dir, { recursive: true });
    return files.map((f) => {
      const path = join(dir, f.name);
      writeFileSync(path, f.text, { mode: 0o644 });
      return `wrote ${path}`;
    });
  } catch (error) {
    return refuse(io, `--output ${dir}: ${(error as NodeJS.ErrnoException).message}`);
  }
}

/** What the operator runs next: the secrets file, then the scheduler. */
function nextSteps(format: 'systemd' | 'cron', job: ScheduledJob, written: readonly string[]): string[] {
  const env = job.secretVariables.length > 0
    ? [`1. put the run's secrets into ${job.environmentFile} as KEY=value lines (${job.secretVariables.join(', ')}), owned by the service user, mode 0600:`, `     install -m 0600 /dev/null ${job.environmentFile} && \${EDITOR:-vi} ${job.environmentFile}`]
    : [`1. optional: ${job.environmentFile} (KEY=value lines, mode 0600) for variables the run needs`];
  if (format === 'systemd') {
    const dir = written[0]?.replace(/^wrote /, '').replace(/\/[^/]+$/, '') ?? '';
    const copy = isAbsolute(dir) && dir === '/etc/systemd/system' ? [] : [`     cp ${join(dir, `${job.name}.service`)} ${join(dir, `${job.name}.timer`)} /etc/systemd/system/`];
    return ['next:', ...env, '2. install and start the timer:', ...copy, '     systemctl daemon-reload', `     systemctl enable --now ${job.name}.timer`, `3. see it: systemctl list-timers ${job.name}.timer; journalctl -u ${job.name}.service`];
  }
  const file = written[0]?.replace(/^wrote /, '') ?? '';
  return ['next:', ...env, `2. the log's folder: mkdir -p -m 0700 ${join(job.logFile, '..')}`, `3. add the line to the crontab of the user who runs runbook: (crontab -l 2>/dev/null; cat ${file}) | crontab -`];
}
