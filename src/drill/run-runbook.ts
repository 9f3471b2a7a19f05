import type { CommandIO } from '../commands/io.js';
import { execRunbook } from '../commands/exec.js';
import type { RunEvent } from '../engine/events.js';
import type { RunRecord } from './report-model.js';
import { runRecordOf } from './timings.js';
import type { RunbookCall } from './types.js';

export interface RunbookRunner {
  inventoryFile: string;
  stateDir: string;
  json: boolean;
  io: CommandIO;
}

/**
 * Runs a runbook exactly as `runbook exec ... --yes` would (same preparation, locks, journal and
 * live view), and keeps its events for the report. --yes: declaring the inventory drillable
 * and starting the drill is the operator's answer to every confirm question.
 */
export async function runRunbook(runner: RunbookRunner, role: RunRecord['role'], call: RunbookCall): Promise<RunRecord> {
  const events: RunEvent[] = [];
  const started = new Date().toISOString();
  const exitCode = await execRunbook(
    {
      runbook: call.runbook,
      inventory: runner.inventoryFile,
      params: paramAssignments(call.params),
      check: false,
      forks: 20,
      yes: true,
      json: runner.json,
      stateDir: runner.stateDir,
      onEvent: (e) => events.push(e),
    },
    runner.io,
  );
  return runRecordOf(role, call, events, exitCode, { started, finished: new Date().toISOString() });
}

/** `--param` strings for a call's YAML values: lists and objects as JSON, the rest as text. */
export function paramAssignments(params: Record<string, unknown>): string[] {
  return Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
}
