import type { RunEvent } from '../engine/events.js';
import type { PhaseTiming, RunRecord, StepTiming } from './report-model.js';
import type { RunbookCall } from './types.js';

/**
 * A run's record from its journal events: identity (version, sha256), outcome, per step and
 * host timings, and whether it rolled back. Pure: the events are the journal's lines.
 */
export function runRecordOf(role: RunRecord['role'], call: RunbookCall, events: readonly RunEvent[], exitCode: number, window: { started: string; finished: string }): RunRecord {
  let runId = '';
  let version = '';
  let sha256 = '';
  let outcome: RunRecord['outcome'] = 'refused';
  const steps: StepTiming[] = [];
  const phaseOf = new Map<string, string>();
  const rollback = { started: false, complete: false, tasks: 0 };
  for (const e of events) {
    if (e.type === 'run-started') ({ runId, version, sha256 } = { runId: e.runId, version: e.runbook.version, sha256: e.runbook.sha256 });
    else if (e.type === 'step-started' && e.phase !== undefined) phaseOf.set(e.step, e.phase);
    else if (e.type === 'task-finished') steps.push(timingOf(e.result));
    else if (e.type === 'rollback-started') rollback.started = true;
    else if (e.type === 'rollback-task') rollback.tasks++;
    else if (e.type === 'rollback-finished') rollback.complete = e.complete;
    else if (e.type === 'run-finished') outcome = e.outcome;
  }
  return {
    role,
    runbook: call.runbook,
    runId,
    version,
    sha256,
    params: call.params,
    journal: runId ? `../../runs/${runId}.jsonl` : '',
    started: window.started,
    finished: window.finished,
    durationMs: Date.parse(window.finished) - Date.parse(window.started),
    outcome,
    exitCode,
    steps,
    phases: phasesOf(steps, phaseOf),
    rollback,
  };
}

/**
 * Per phase, in the order the phases first ran: each step's wall time (the slowest of its hosts,
 * whose loop items run one after another) added up over its steps. Steps without a phase count
 * as `other`; no phase at all gives none.
 */
export function phasesOf(steps: readonly StepTiming[], phaseOf: ReadonlyMap<string, string>): PhaseTiming[] {
  if (phaseOf.size === 0) return [];
  const perHost = new Map<string, Map<string, number>>();
  for (const s of steps) {
    const hosts = perHost.get(s.step) ?? new Map<string, number>();
    hosts.set(s.host, (hosts.get(s.host) ?? 0) + s.durationMs);
    perHost.set(s.step, hosts);
  }
  const phases = new Map<string, PhaseTiming>();
  for (const [step, hosts] of perHost) {
    const phase = phaseOf.get(step) ?? 'other';
    const timing = phases.get(phase) ?? { phase, durationMs: 0, steps: 0 };
    timing.durationMs += Math.max(...hosts.values());
    timing.steps += 1;
    phases.set(phase, timing);
  }
  return [...phases.values()];
}

function timingOf(result: Extract<RunEvent, { type: 'task-finished' }>['result']): StepTiming {
  return { step: result.step, host: result.host, ...(result.itemIndex === undefined ? {} : { itemIndex: result.itemIndex }), status: result.status, durationMs: result.durationMs };
}
