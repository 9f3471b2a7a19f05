import { dirname, resolve } from 'node:path';
import type { Connection } from '../connection/connection.js';
import type { ConnectionPool } from '../connection/pool.js';
import { type HostError, ValidationError } from '../diagnostics/diagnostic.js';
import type { RunEvent, RunEventBody } from '../engine/events.js';
import { newRecap } from '../engine/recap.js';
import { exitCodeOf } from '../engine/results.js';
import { runPlan } from '../engine/run.js';
import { loadInventory } from '../inventory/load.js';
import { RunJournal, newRunId } from '../journal/journal.js';
import { type ResumePoint, changesLeftInPlace, readRun, registersByHost, resumePoint } from '../journal/reader.js';
import { acquireLocalLock } from '../lock/local.js';
import { currentOwner, describeTakeover, type LockOwner, operatorName } from '../lock/owner.js';
import { acquireRemoteLock } from '../lock/remote.js';
import { builtinModules } from '../modules/registry.js';
import { buildPlan } from '../plan/plan.js';
import type { Plan } from '../plan/types.js';
import { loadRunbook } from '../runbook/load.js';
import { readSecrets } from '../secrets/read.js';
import { Redactor } from '../secrets/redactor.js';
import { TemplateEngine } from '../template/template.js';
import { createRenderer } from '../report/renderer.js';
import { type CommandIO, EXIT, reportDiagnostics } from './io.js';
import type { EarlyRead, ExecRequest } from './exec.js';
import { resolveRunbookFile } from './resolve.js';

/**
 * The body of `runbook exec` and `runbook plan` (exec.ts loads it while the first connections
 * open): load and check everything, take the local lock, reach every host of the plan (reusing
 * the connections `pool` already opened), take the remote lock, then run the plan with the
 * journal and a renderer listening. `early` is what exec.ts already read. Returns SPEC's exit
 * code.
 */
export async function runRequest(request: ExecRequest, io: CommandIO, pool: ConnectionPool, early: EarlyRead): Promise<number> {
  await yieldToIO();
  const prepared = await prepare(request, io, early);
  if (typeof prepared === 'number') return prepared;
  const { plan, secrets, runId, resumed } = prepared;
  const redactor = new Redactor([...Object.values(secrets), ...(plan.inventory.secrets ?? [])]);

  const release: Array<() => Promise<void>> = [];
  const takeovers: string[] = [];
  if (!request.check) {
    const lock = await acquireLocalLock(request.stateDir, plan.inventory.file, currentOwner(runId, plan.runbook.name));
    if (!lock.ok) return fail(io, lock.message, EXIT.usage);
    release.push(lock.release);
    if (lock.replaced) takeovers.push(await takeoverNotice(lock.replaced, request.stateDir, plan.inventory.file));
  }
  // A host that is only a `transfer` destination is not among the plan's hosts: it opens lazily.
  pool.add(plan.inventory.hosts);
  // Every connection of the plan opens (or finishes opening) while the journal and the renderer start.
  const reaching = pool.openAll(plan.hosts);
  const journal = await RunJournal.open(request.stateDir, runId, redactor);
  const renderer = createRenderer(io, request.json);
  const emit = (body: RunEventBody): void => {
    const event = { at: new Date().toISOString(), ...body } as RunEvent;
    journal.write(event);
    renderer.consume(event);
    request.onEvent?.(event);
  };
  try {
    emit(runStarted(plan, runId, request.check, resumed));
    for (const value of resumed?.point.registered ?? []) emit({ type: 'registered', ...value });
    for (const message of takeovers) emit({ type: 'notice', level: 'warning', message });
    const reached = reachedAll(await reaching, plan, emit);
    if (!reached) return EXIT.unreachable;
    if (!request.check && plan.lockHost) {
      const lock = await acquireRemoteLock(await pool.get(plan.lockHost.name), currentOwner(runId, plan.runbook.name));
      if (!lock.ok) {
        emit({ type: 'notice', level: 'warning', message: lock.message });
        return finishEarly(emit, plan, 'not-started');
      }
      release.push(lock.release);
      if (lock.replaced) emit({ type: 'notice', level: 'warning', message: `${plan.lockHost.name}: ${await takeoverNotice(lock.replaced, request.stateDir, plan.inventory.file)}` });
    }
    const result = await runPlan(plan, {
      modules: builtinModules(),
      connection: (host: string): Promise<Connection> => pool.get(host),
      templates: new TemplateEngine(),
      redactor,
      emit,
      signal: io.signal,
      confirm: (question) => confirmStep(question, request.yes, io),
      forks: request.forks,
      // A resumed run carries on the run it continues: work folders named by run.id are found again.
      run: { id: resumed?.point.origin ?? runId, started: new Date().toISOString(), runbook: plan.runbook.name, version: plan.runbook.version, inventory: plan.inventory.file, check: request.check },
      secrets,
      ...(resumed ? { registers: registersByHost(resumed.point.registered) } : {}),
    });
    return result.exitCode;
  } finally {
    for (const r of release.reverse()) await r().catch(() => undefined);
    await pool.closeAll();
    await journal.close();
    await renderer.done();
    io.err(`journal: ${journal.path}`);
  }
}

interface Prepared {
  plan: Plan;
  secrets: Record<string, string>;
  runId: string;
  /** `--resume`: the run continued and where it stopped. */
  resumed?: { runId: string; point: ResumePoint };
}

/** Everything that can fail before a host is touched; a failure returns exit code 2. */
async function prepare(request: ExecRequest, io: CommandIO, early: EarlyRead): Promise<Prepared | number> {
  let name = request.runbook;
  let previousParams: Record<string, unknown> | undefined;
  let startAt = request.startAt;
  let resumed: Prepared['resumed'];
  if (request.resume) {
    const point = resumePoint(await readRun(request.stateDir, request.resume).catch(() => []));
    if (!point) return fail(io, `no journal for run ${request.resume} under ${request.stateDir}/runs`, EXIT.usage);
    if (name && name !== point.runbook) return fail(io, `run ${request.resume} ran ${point.runbook}, not ${name}`, EXIT.usage);
    name = point.runbook;
    previousParams = point.params;
    startAt ??= point.startAt;
    if (!startAt) return fail(io, `run ${request.resume} finished every step; nothing to resume`, EXIT.usage);
    resumed = { runId: request.resume, point };
  }
  if (!name) return fail(io, 'which runbook? (runbook exec RUNBOOK --inventory INV)', EXIT.usage);
  try {
    const file = resolve(resolveRunbookFile(name, io.cwd));
    const read = early.runbook?.file === file ? early.runbook : undefined;
    const runbook = loadRunbook(file, read?.text, read?.yaml);
    // Lets the SSH handshakes started by exec.ts answer their server between long synchronous parts.
    await yieldToIO();
    const loaded = early.inventory ? { ok: true as const, value: early.inventory } : loadInventory(request.inventory, io.cwd, { playbookDir: dirname(file) });
    if (!loaded.ok) return reportDiagnostics(io, loaded.error);
    const inventory = loaded.value;
    const planned = buildPlan(runbook, inventory, {
      params: request.params,
      ...(request.limit === undefined ? {} : { limit: request.limit }),
      ...(startAt === undefined ? {} : { startAt }),
      ...(previousParams === undefined ? {} : { previousParams }),
    });
    if (!planned.ok) return reportDiagnostics(io, planned.diagnostics);
    const unconfirmable = planned.plan.steps.find((s) => s.step.confirm !== undefined && !s.skipReason);
    if (unconfirmable && !request.check && !request.yes && !io.ask) {
      return fail(io, `step '${unconfirmable.step.id}' asks "${unconfirmable.step.confirm}": pass --yes to confirm in a run without a terminal`, EXIT.usage);
    }
    const secrets = await readSecrets(runbook.secrets, dirname(runbook.source.file), io.env);
    if (!secrets.ok) return fail(io, secrets.problems.join('\n'), EXIT.usage);
    return { plan: planned.plan, secrets: secrets.values, runId: newRunId(), ...(resumed ? { resumed } : {}) };
  } catch (error) {
    if (error instanceof ValidationError) return reportDiagnostics(io, error.diagnostics);
    throw error;
  }
}

/** An unreachable host stops the run before any change: the connections were all opened up front. */
function reachedAll(failures: readonly HostError[], plan: Plan, emit: (e: RunEventBody) => void): boolean {
  if (failures.length === 0) return true;
  emit({ type: 'hosts-unreachable', hosts: failures.map((f) => ({ host: f.host, stage: f.stage, message: f.message })) });
  finishEarly(emit, plan, 'unreachable');
  return false;
}

function finishEarly(emit: (e: RunEventBody) => void, plan: Plan, outcome: 'unreachable' | 'not-started'): number {
  const exitCode = exitCodeOf(outcome);
  emit({ type: 'run-finished', outcome, exitCode, recap: newRecap(plan.hosts.map((h) => h.name)), durationMs: 0 });
  return exitCode;
}

function runStarted(plan: Plan, runId: string, check: boolean, resumed: Prepared['resumed']): RunEventBody {
  const { runbook, inventory } = plan;
  return {
    type: 'run-started',
    runId,
    runbook: { name: runbook.name, version: runbook.version, sha256: runbook.source.sha256, file: runbook.source.file },
    inventory: { file: inventory.file, sha256: inventory.sha256 },
    params: plan.params,
    operator: operatorName(),
    check,
    ...(resumed ? { resumes: { runId: resumed.runId, origin: resumed.point.origin } } : {}),
    hosts: plan.hosts.map((h) => h.name),
    steps: plan.steps.map((s) => ({ id: s.step.id, name: s.step.name, hosts: s.skipReason ? [] : s.hosts.map((h) => h.name) })),
  };
}

/**
 * A stale lock broken: whose it was and, when its run's journal is here and has no end, what that
 * run changed and never undid (a crash rolls nothing back) and how to resume it.
 */
async function takeoverNotice(owner: LockOwner, stateDir: string, inventoryFile: string): Promise<string> {
  const events = await readRun(stateDir, owner.runId).catch(() => []);
  if (events.length === 0 || events.some((e) => e.type === 'run-finished')) return describeTakeover(owner);
  const left = changesLeftInPlace(events);
  const changes = left.length > 0 ? ` and left in place what it changed (${left.join(', ')})` : '';
  return `${describeTakeover(owner)}; run ${owner.runId} did not finish${changes}: \`runbook exec --resume ${owner.runId} --inventory ${inventoryFile}\` continues it`;
}

async function confirmStep(question: string, yes: boolean, io: CommandIO): Promise<boolean> {
  if (yes) return true;
  if (!io.ask) return false;
  const answer = await io.ask(`${question} Type "yes" to go on: `);
  return answer.trim().toLowerCase() === 'yes';
}

/** One turn of the event loop: pending socket reads are handled before the next synchronous stretch. */
function yieldToIO(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function fail(io: CommandIO, message: string, code: number): number {
  io.err(`error: ${message}`);
  return code;
}
