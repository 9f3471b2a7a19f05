import type { Connection } from '../connection/connection.js';
import type { ConnectionPool } from '../connection/pool.js';
import type { HostError } from '../diagnostics/diagnostic.js';
import type { RunEvent, RunEventBody } from '../engine/events.js';
import { newRecap } from '../engine/recap.js';
import { EXIT, exitCodeOf } from '../engine/results.js';
import { runPlan } from '../engine/run.js';
import { RunJournal } from '../journal/journal.js';
import { registersByHost } from '../journal/reader.js';
import { acquireLocalLock } from '../lock/local.js';
import { currentOwner, operatorName } from '../lock/owner.js';
import { acquireRemoteLock } from '../lock/remote.js';
import { builtinModules } from '../modules/registry.js';
import type { Plan } from '../plan/types.js';
import { createRenderer } from '../report/renderer.js';
import { Redactor } from '../secrets/redactor.js';
import { TemplateEngine } from '../template/template.js';
import { connectReachedEarly, type EarlyRead } from './early.js';
import type { CommandIO } from './io.js';
import { type Prepared, prepare, refuse, yieldToIO } from './prepare.js';
import type { RunRequest } from './request.js';
import { takeoverNotice } from './takeover.js';

/**
 * The body of a run (start.ts loads it while the first connections open): load and check
 * everything, take the local lock, reach every host the run can touch (reusing the connections
 * `pool` already opened), take the remote lock, then run the plan with the
 * journal and a renderer listening. `early` is what start.ts already read. Returns SPEC's exit
 * code.
 */
export async function runPrepared(request: RunRequest, io: CommandIO, pool: ConnectionPool, early: EarlyRead): Promise<number> {
  connectReachedEarly(request, early, pool, builtinModules());
  await yieldToIO();
  const prepared = await prepare(request, io, early);
  if (typeof prepared === 'number') return prepared;
  const { plan, secrets, runId, resumed } = prepared;
  // Values decrypted from the inventory's vaults are secrets too.
  const redactor = new Redactor([...Object.values(secrets), ...(plan.inventory.secrets ?? [])]);

  const release: Array<() => Promise<void>> = [];
  const takeovers: string[] = [];
  if (!request.check) {
    const lock = await acquireLocalLock(request.stateDir, plan.inventory.file, currentOwner(runId, plan.runbook.name));
    if (!lock.ok) return refuse(io, lock.message);
    release.push(lock.release);
    if (lock.replaced) takeovers.push(await takeoverNotice(lock.replaced, request.stateDir, plan.inventory.file));
  }
  // Every host the run can touch, those its modules reach included, is connected (or finishes
  // connecting) while the journal and the renderer start: none opens later, after a command ran.
  const reaching = pool.openAll(plan.touchedHosts);
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
      // Modules name their aside copies by this run's own id; templates see the id of the run a
      // resume continues, so the work folders runbooks name by run.id are found again.
      runId,
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

async function confirmStep(question: string, yes: boolean, io: CommandIO): Promise<boolean> {
  if (yes) return true;
  if (!io.ask) return false;
  const answer = await io.ask(`${question} Type "yes" to go on: `);
  return answer.trim().toLowerCase() === 'yes';
}

