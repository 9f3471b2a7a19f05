import type { CommandIO } from '../app/io.js';
import { operatorName } from '../lock/owner.js';
import { newRunId } from '../journal/journal.js';
import { assembleReport } from './assemble.js';
import { type DrillContext, type PhaseOutcome, emptyState } from './context.js';
import { DrillHosts } from './hosts.js';
import { runCleanup } from './cleanup.js';
import { removeMarkers } from './marker-io.js';
import { backupPhase, faultPhase, fingerprintPhase, recoveryPhase, writesPhase } from './phases.js';
import type { Ready } from './preflight.js';
import type { DrillReport, PhaseName, PhaseRecord } from './report-model.js';
import { reportPath, writeReport } from './store.js';
import { verificationPhase } from './verify.js';
import type { DrillEvent } from './events.js';

export interface DrillRunOptions {
  stateDir: string;
  json: boolean;
  io: CommandIO;
  /** The IO runbook runs draw with (the drill's view may route their lines). */
  runIO: CommandIO;
  emit: (event: DrillEvent) => void;
}

/** The phases after preflight, in order; the recovery's failure does not stop verification. */
const PLAN: Array<{ phase: PhaseName; run: (ctx: DrillContext) => Promise<PhaseOutcome>; stopsOnFailure: boolean }> = [
  { phase: 'backup', run: backupPhase, stopsOnFailure: true },
  { phase: 'writes', run: writesPhase, stopsOnFailure: true },
  { phase: 'fingerprint', run: fingerprintPhase, stopsOnFailure: true },
  { phase: 'fault', run: faultPhase, stopsOnFailure: true },
  { phase: 'recovery', run: recoveryPhase, stopsOnFailure: false },
  { phase: 'verification', run: verificationPhase, stopsOnFailure: true },
];

/**
 * Runs a preflighted drill: the phases, the marker removal and the drill's cleanup, and the
 * report. Returns the report and where it was written; the exit code is the report's.
 */
export async function runDrill(ready: Ready, preflightRecord: PhaseRecord, options: DrillRunOptions): Promise<{ report: DrillReport; path: string }> {
  const id = newRunId();
  const started = preflightRecord.started;
  const hosts = new DrillHosts(ready.inventory);
  const ctx: DrillContext = {
    id, drill: ready.drill, inventory: ready.inventory, lab: ready.lab, hosts, io: options.io, emit: options.emit, state: emptyState(),
    runner: { inventoryFile: ready.inventory.file, stateDir: options.stateDir, json: options.json, io: options.runIO },
  };
  options.emit({ type: 'drill-started', id, drill: ready.drill.name, version: ready.drill.version, inventory: ready.inventory.file });
  const timeline: PhaseRecord[] = [preflightRecord];
  try {
    let stopped: string | undefined;
    for (const step of PLAN) {
      // Ctrl-C: the run in progress rolls itself back; no further phase starts.
      if (options.io.signal.aborted) stopped ??= 'interrupted';
      if (stopped) {
        options.emit({ type: 'phase-skipped', phase: step.phase, reason: stopped });
        continue;
      }
      const record = await timed(step.phase, () => step.run(ctx), options.emit);
      timeline.push(record);
      if (!record.ok && step.stopsOnFailure) stopped = `${step.phase} failed`;
    }
    // The cleanup first: it puts back what the fault took, which removing a marker may need (a
    // credential only the original keys decrypt). Only a fault that happened has anything to clean up.
    const leftovers = timeline.some((r) => r.phase === 'fault') ? await runCleanup(ctx) : [];
    leftovers.push(...(await removeMarkers(ctx)));
    for (const l of leftovers) options.io.err(`warning: ${l}`);
  } finally {
    await hosts.close();
  }
  return finish(ctx, timeline, started, options);
}

/** The report phase: assembled, written (report.md and report.json), announced. */
async function finish(ctx: DrillContext, timeline: PhaseRecord[], started: string, options: DrillRunOptions): Promise<{ report: DrillReport; path: string }> {
  const path = reportPath(options.stateDir, ctx.id);
  let report: DrillReport | undefined;
  const record = await timed('report', async () => {
    report = assembleReport(ctx, { operator: operatorName(), started, finished: new Date().toISOString(), timeline: [...timeline] });
    return { ok: true, detail: [path, path.replace(/\.md$/, '.json')] };
  }, options.emit);
  // The report lists its own phase too; writing takes milliseconds.
  const final: DrillReport = { ...report!, timeline: [...timeline, record], finished: record.finished };
  await writeReport(options.stateDir, final);
  options.emit({
    type: 'drill-finished', outcome: final.outcome, exitCode: final.exitCode, report: path,
    ...(final.measured.rtoMs === undefined ? {} : { rtoMs: final.measured.rtoMs }),
    ...(final.measured.backupAgeMs === undefined ? {} : { backupAgeMs: final.measured.backupAgeMs }),
    lost: final.measured.lost,
  });
  return { report: final, path };
}

/**
 * Runs one phase with its events and timing. The one place where a throw inside a phase (a host
 * unreachable, a lab fault that could not be injected) becomes a failed phase with its message.
 */
export async function timed(phase: PhaseName, run: () => Promise<PhaseOutcome>, emit: (e: DrillEvent) => void): Promise<PhaseRecord> {
  const started = new Date();
  emit({ type: 'phase-started', phase });
  let outcome: PhaseOutcome;
  try {
    outcome = await run();
  } catch (error) {
    outcome = { ok: false, detail: [`error: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const finished = new Date();
  const durationMs = finished.getTime() - started.getTime();
  emit({ type: 'phase-finished', phase, ok: outcome.ok, durationMs, detail: outcome.detail });
  return { phase, started: started.toISOString(), finished: finished.toISOString(), durationMs, ok: outcome.ok, detail: outcome.detail };
}
