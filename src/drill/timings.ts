import type { RunEvent } from '../engine/events.js';
import type { RunRecord, StepTiming } from './report-model.js';
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
  const rollback = { started: false, complete: false, tasks: 0 };
  for (const e of events) {
    if (e.type === 'run-started') ({ runId, version, sha256 } = { runId: e.runId, version: e.runbook.version, sha256: e.runbook.sha256 });
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
    rollback,
  };
}

function timingOf(result: Extract<RunEvent, { type: 'task-finished' }>['result']): StepTiming {
  return { step: result.step, host: result.host, ...(result.itemIndex === undefined ? {} : { itemIndex: result.itemIndex }), status: result.status, durationMs: result.durationMs };
}
