import type { Connection } from '../connection/connection.js';
import type { Host } from '../inventory/types.js';
import type { ModuleRegistry } from '../modules/module.js';
import type { Plan, PlannedStep } from '../plan/types.js';
import type { Step } from '../runbook/types.js';
import type { Redactor } from '../secrets/redactor.js';
import type { RunInfo, TemplateContext } from '../template/context.js';
import type { TemplateEngine } from '../template/template.js';
import { hostContext, lookupPath, renderDeep, sharedContext } from './context.js';
import type { Emit } from './events.js';
import { batches, mapLimit } from './limit.js';
import { newRecap, tally } from './recap.js';
import type { Recap, RunOutcome, TaskResult } from './results.js';
import { exitCodeOf } from './results.js';
import { interruptionOf } from './interrupt.js';
import { rollBack } from './rollback.js';
import type { AppliedChange, Withdraw } from './task.js';
import { runTask } from './task.js';

/** What the engine is given; it reaches hosts, modules and the outside world only through these. */
export interface EngineDeps {
  modules: ModuleRegistry;
  /** The open connection to a host (the pool opened them before the run). */
  connection: (host: string) => Promise<Connection>;
  templates: TemplateEngine;
  redactor: Redactor;
  emit: Emit;
  /** Aborted on an interrupt: no new work starts, running commands are killed, changes are undone. */
  signal: AbortSignal;
  /** Asks a step's `confirm` question; false stops the run before the step. */
  confirm: (question: string, step: Step) => Promise<boolean>;
  forks: number;
  /** `run.id` in templates: a resumed run has the id of the run it continues. */
  run: RunInfo;
  /**
   * This run's own id (its journal's), for the names modules make (aside copies, temporary
   * folders): unique per attempt, so a resumed run never writes over what the killed one kept.
   * Defaults to run.id.
   */
  runId?: string;
  secrets: Record<string, string>;
  /** A resumed run: per host, what the steps it skips registered in the run it continues. */
  registers?: Record<string, Record<string, unknown>>;
  sleep?: (ms: number) => Promise<void>;
}

export interface RunResult {
  outcome: RunOutcome;
  exitCode: number;
  recap: Recap;
}

/** Per-host state across steps. */
interface HostState {
  host: Host;
  context: TemplateContext;
  registered: Record<string, unknown>;
}

/**
 * Runs a plan in lockstep (every host finishes step N before step N+1 starts), hosts of a
 * step in parallel up to `forks`, batch by batch under `serial`. On a failure no new step
 * starts, running tasks finish, and every change is rolled back in reverse.
 */
export async function runPlan(plan: Plan, deps: EngineDeps): Promise<RunResult> {
  const started = Date.now();
  const recap = newRecap(plan.hosts.map((h) => h.name));
  const changes: AppliedChange[] = [];
  const registeredNames = new Set<string>(Object.values(deps.registers ?? {}).flatMap((r) => Object.keys(r)));
  const unsetRegisters = new Map<string, string>();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const shared = sharedContext(plan, deps.run, deps.secrets);
  const states = new Map<string, HostState>();
  const stateOf = (host: Host): HostState => {
    let state = states.get(host.name);
    if (!state) {
      state = { host, context: hostContext(shared, host, plan.runbook.vars, deps.templates), registered: { ...deps.registers?.[host.name] } };
      states.set(host.name, state);
    }
    return state;
  };

  // What each host registered, seen by every host's templates as hostvars.<host>.<name> (as in
  // Ansible); lockstep means a step sees what every host registered in the steps before it.
  // Inventory vars win over a register of the same name, so a register never shadows one.
  const hostvarsNow = (): Record<string, Record<string, unknown>> =>
    Object.fromEntries(Object.entries(shared.hostvars).map(([name, vars]) => [name, { ...deps.registers?.[name], ...states.get(name)?.registered, ...vars }]));

  let failure: { reason: string; policy: 'rollback' | 'abort' } | undefined;
  for (const planned of plan.steps) {
    if (failure) break;
    if (deps.signal.aborted) break;
    const { step } = planned;
    if (planned.skipReason) {
      if (step.register && !registeredNames.has(step.register)) unsetRegisters.set(step.register, `registered by step '${step.id}', which did not run (${planned.skipReason})`);
      deps.emit({ type: 'step-skipped', step: step.id, name: step.name, reason: planned.skipReason });
      continue;
    }
    if (step.confirm !== undefined && !deps.run.check && !(await deps.confirm(step.confirm, step))) {
      failure = { reason: `step '${step.id}' was not confirmed`, policy: 'rollback' };
      break;
    }
    deps.emit({ type: 'step-started', step: step.id, name: step.name, hosts: planned.hosts.map((h) => h.name), ...(step.phase === undefined ? {} : { phase: step.phase }) });
    for (const batch of batches(planned.hosts, step.serial)) {
      const options: StepRunOptions = { deps, sleep, registeredNames, unsetRegisters, hostvars: hostvarsNow(), onChange: (c) => recordChange(changes, c) };
      const results = await mapLimit(batch, deps.forks, async (host) => {
        // The one place where a throw about a host (a var that cannot be rendered, a lost
        // connection) becomes that host's failed result instead of ending the run unjudged.
        try {
          return await runHostStep(planned, stateOf(host), options);
        } catch (error) {
          const result = failedResult(step, host, deps.redactor.text(error instanceof Error ? error.message : String(error))).result;
          deps.emit({ type: 'task-finished', result });
          return [result];
        }
      });
      for (const result of results.flat()) tally(recap, result);
      const failed = results.flat().find((r) => r.status === 'failed' && !r.ignored);
      if (failed) {
        failure = { reason: `step '${failed.step}' failed on ${failed.host}: ${failed.message ?? 'failed'}`, policy: step.onFailure === 'abort' ? 'abort' : 'rollback' };
        break;
      }
      if (deps.signal.aborted) break;
    }
    if (step.register) registeredNames.add(step.register);
    deps.emit({ type: 'step-finished', step: step.id });
  }

  const outcome = await conclude(deps, changes, recap, failure);
  const exitCode = exitCodeOf(outcome);
  const interruptedBy = deps.signal.aborted ? { interruptedBy: interruptionOf(deps.signal) } : {};
  deps.emit({ type: 'run-finished', outcome, exitCode, recap, durationMs: Date.now() - started, ...interruptedBy });
  return { outcome, exitCode, recap };
}

/** After the steps: commit on success, leave in place on abort, otherwise roll back. */
async function conclude(
  deps: EngineDeps,
  changes: AppliedChange[],
  recap: Recap,
  failure: { reason: string; policy: 'rollback' | 'abort' } | undefined,
): Promise<RunOutcome> {
  const interrupted = deps.signal.aborted;
  if (!failure && !interrupted) {
    if (!deps.run.check) await commitAll(changes, deps);
    return 'succeeded';
  }
  if (failure?.policy === 'abort' && !interrupted) {
    deps.emit({ type: 'notice', level: 'warning', message: `${failure.reason}; on_failure: abort leaves ${changes.length} change(s) in place` });
    return 'failed';
  }
  const reason = interrupted ? `interrupted by ${interruptionOf(deps.signal)}` : (failure?.reason ?? 'failed');
  deps.emit({ type: 'rollback-started', reason, changes: changes.length });
  // The interrupt signal is already aborted; the rollback must run to completion on its own.
  const rollback = await rollBack(changes, { forks: deps.forks, emit: deps.emit, redactor: deps.redactor, signal: new AbortController().signal });
  for (const c of rollback.rolledBack) recap[c.host]!.rolledBack++;
  for (const c of rollback.failed) recap[c.host]!.rollbackFailed++;
  deps.emit({ type: 'rollback-finished', complete: rollback.complete, manual: rollback.manual });
  if (!rollback.complete) return 'rollback-incomplete';
  return interrupted ? 'interrupted' : 'rolled-back';
}

async function commitAll(changes: AppliedChange[], deps: EngineDeps): Promise<void> {
  await mapLimit(changes, deps.forks, async (change) => {
    if (!change.commit) return;
    const outcome = await change.commit().catch((error: unknown) => ({ ok: false, commands: [], message: String(error) }));
    if (!outcome.ok) {
      deps.emit({ type: 'notice', level: 'warning', host: change.host, step: change.step, message: `could not discard the rollback copy: ${deps.redactor.text(outcome.message ?? 'failed')}` });
    }
  });
}

interface StepRunOptions {
  deps: EngineDeps;
  sleep: (ms: number) => Promise<void>;
  registeredNames: ReadonlySet<string>;
  unsetRegisters: ReadonlyMap<string, string>;
  /** Every host's inventory vars and what it registered so far. */
  hostvars: Record<string, Record<string, unknown>>;
  onChange: (change: AppliedChange) => Withdraw;
}

/** One step on one host: every loop item in order, stopping at the first failure. */
async function runHostStep(planned: PlannedStep, state: HostState, options: StepRunOptions): Promise<TaskResult[]> {
  const { step } = planned;
  const { deps } = options;
  const items = loopItems(step, state.context, deps.templates);
  const results: TaskResult[] = [];
  const registered: Record<string, unknown>[] = [];
  const module = deps.modules.get(step.action.module);
  for (const [index, item] of items.values.entries()) {
    if (deps.signal.aborted) break;
    const itemIndex = items.looped ? index : undefined;
    deps.emit({ type: 'task-started', step: step.id, host: state.host.name, ...(itemIndex === undefined ? {} : { itemIndex }) });
    const shared = { ...state.context, hostvars: options.hostvars, ...state.registered };
    const context = items.looped ? { ...shared, item } : shared;
    const problem = items.error ?? (module ? undefined : `unknown module '${step.action.module}'`);
    const output =
      problem !== undefined || !module
        ? failedResult(step, state.host, problem ?? 'no module')
        : await runTask({
            step, stepIndex: planned.index, host: state.host, item, ...(itemIndex === undefined ? {} : { itemIndex }), context, module,
            connection: await deps.connection(state.host.name), connectionTo: deps.connection,
            templates: deps.templates, redactor: deps.redactor, runId: deps.runId ?? deps.run.id, check: deps.run.check,
            signal: deps.signal, registeredNames: options.registeredNames, unsetRegisters: options.unsetRegisters, sleep: options.sleep, onChange: options.onChange,
          });
    const result = output.result.status === 'failed' && step.onFailure === 'continue' ? { ...output.result, ignored: true } : output.result;
    deps.emit({ type: 'task-finished', result });
    results.push(result);
    if (output.registered) registered.push(output.registered);
    if (result.status === 'failed' && !result.ignored) break;
  }
  if (step.register) {
    const value = items.looped ? { results: registered } : (registered[0] ?? {});
    state.registered[step.register] = value;
    deps.emit({ type: 'registered', step: step.id, host: state.host.name, name: step.register, value });
  }
  return results;
}

function failedResult(step: Step, host: Host, message: string): { result: TaskResult; registered?: undefined } {
  return { result: { step: step.id, host: host.name, status: 'failed', message, commands: [], attempts: 0, durationMs: 0 } };
}

/** The values a step loops over: a literal list (templated) or the list at a variable path. */
function loopItems(step: Step, context: TemplateContext, templates: TemplateEngine): { looped: boolean; values: unknown[]; error?: string } {
  if (step.loop === undefined) return { looped: false, values: [undefined] };
  try {
    const values = Array.isArray(step.loop) ? renderDeep(step.loop, context, templates) : lookupPath(context, step.loop);
    if (!Array.isArray(values)) return { looped: true, values: [undefined], error: `loop: '${String(step.loop)}' is not a list` };
    return { looped: true, values };
  } catch (error) {
    return { looped: true, values: [undefined], error: `loop: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Adds a change to the run's list, returning how to take it back out. */
function recordChange(changes: AppliedChange[], change: AppliedChange): Withdraw {
  changes.push(change);
  return () => {
    const index = changes.indexOf(change);
    if (index >= 0) changes.splice(index, 1);
  };
}
