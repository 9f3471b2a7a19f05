import type { CommandIO } from '../app/io.js';
import { runRunbook } from '../app/start.js';
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
export async function runCall(runner: RunbookRunner, role: RunRecord['role'], call: RunbookCall): Promise<RunRecord> {
  const events: RunEvent[] = [];
  const started = new Date().toISOString();
  const exitCode = await runRunbook(
    {
      runbook: call.runbook,
      inventory: runner.inventoryFile,
      params: { values: call.params },
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
