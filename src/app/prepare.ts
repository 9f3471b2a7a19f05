import { dirname, resolve } from 'node:path';
import { loadInventory } from '../inventory/load.js';
import { newRunId } from '../journal/journal.js';
import { type ResumePoint, readRun, resumePoint } from '../journal/reader.js';
import { builtinModules } from '../modules/registry.js';
import { buildPlan } from '../plan/plan.js';
import type { Plan } from '../plan/types.js';
import { loadRunbook } from '../runbook/load.js';
import { readSecrets } from '../secrets/read.js';
import { EXIT } from '../engine/results.js';
import type { EarlyRead } from './early.js';
import { type CommandIO, reportDiagnostics } from './io.js';
import { reachRules } from './reach-rules.js';
import type { RunRequest } from './request.js';
import { resolveRunbookFile } from './resolve.js';

/** A run ready to start: planned, its secrets read, its id chosen. */
export interface Prepared {
  plan: Plan;
  secrets: Record<string, string>;
  runId: string;
  /** `--resume`: the run continued and where it stopped. */
  resumed?: { runId: string; point: ResumePoint };
}

/** Everything that can fail before a host is touched; a failure returns exit code 2. */
export async function prepare(request: RunRequest, io: CommandIO, early: EarlyRead): Promise<Prepared | number> {
  const planned = await planRun(request, io, early);
  if (typeof planned === 'number') return planned;
  const { runbook } = planned.plan;
  const secrets = await readSecrets(runbook.secrets, dirname(runbook.source.file), io.env);
  if (!secrets.ok) return refuse(io, secrets.error.join('\n'));
  return { ...planned, secrets: secrets.value };
}

/**
 * The run planned, everything checked but its secrets (which `runbook schedule` must not need:
 * they are the scheduled run's, from its own environment). A failure returns exit code 2.
 */
export async function planRun(request: RunRequest, io: CommandIO, early: EarlyRead): Promise<Omit<Prepared, 'secrets'> | number> {
  let name = request.runbook;
  let previousParams: Record<string, unknown> | undefined;
  let startAt = request.startAt;
  let resumed: Prepared['resumed'];
  if (request.resume) {
    const point = resumePoint(await readRun(request.stateDir, request.resume).catch(() => []));
    if (!point) return refuse(io, `no journal for run ${request.resume} under ${request.stateDir}/runs`);
    if (name && name !== point.runbook) return refuse(io, `run ${request.resume} ran ${point.runbook}, not ${name}`);
    name = point.runbook;
    previousParams = point.params;
    startAt ??= point.startAt;
    if (!startAt) return refuse(io, `run ${request.resume} finished every step; nothing to resume`);
    resumed = { runId: request.resume, point };
  }
  if (!name) return refuse(io, 'which runbook? (runbook exec RUNBOOK --inventory INV)');
  const file = resolve(resolveRunbookFile(name, io.cwd));
  const read = early.runbook?.file === file ? early.runbook : undefined;
  const loadedRunbook = loadRunbook(file, read?.text, read?.yaml);
  if (!loadedRunbook.ok) return reportDiagnostics(io, loadedRunbook.error);
  const runbook = loadedRunbook.value;
  // Lets the SSH handshakes started by start.ts answer their server between long synchronous parts.
  await yieldToIO();
  const loaded = early.inventory ? { ok: true as const, value: early.inventory } : loadInventory(request.inventory, io.cwd, { playbookDir: dirname(file) });
  if (!loaded.ok) return reportDiagnostics(io, loaded.error);
  const inventory = loaded.value;
  const runId = newRunId();
  const run = { id: resumed?.point.origin ?? runId, started: new Date().toISOString(), runbook: runbook.name, version: runbook.version, inventory: inventory.file, check: request.check };
  const planned = buildPlan(runbook, inventory, {
    params: request.params,
    reach: reachRules(builtinModules(), runbook, inventory, run),
    ...(request.limit === undefined ? {} : { limit: request.limit }),
    ...(startAt === undefined ? {} : { startAt }),
    ...(previousParams === undefined ? {} : { previousParams }),
  });
  if (!planned.ok) return reportDiagnostics(io, planned.error);
  const unconfirmable = planned.value.steps.find((s) => s.step.confirm !== undefined && !s.skipReason);
  if (unconfirmable && !request.check && !request.yes && !io.ask) {
    return refuse(io, `step '${unconfirmable.step.id}' asks "${unconfirmable.step.confirm}": pass --yes to confirm in a run without a terminal`);
  }
  return { plan: planned.value, runId, ...(resumed ? { resumed } : {}) };
}

/** One turn of the event loop: pending socket reads are handled before the next synchronous stretch. */
export function yieldToIO(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A run refused before any host is touched: the reason on stderr, and the usage exit code. */
export function refuse(io: CommandIO, message: string): number {
  io.err(`error: ${message}`);
  return EXIT.usage;
}
