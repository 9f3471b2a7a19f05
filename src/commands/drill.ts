import type { DrillRefusal } from '../drill/errors.js';
import type { LabLocator } from '../drill/lab-access.js';
import { createDrillView } from '../drill/view.js';
import { preflight } from '../drill/preflight.js';
import { runDrill } from '../drill/run.js';
import type { PhaseRecord } from '../drill/report-model.js';
import { type CommandIO, EXIT, reportDiagnostics } from '../app/io.js';

export interface DrillRequest {
  drill: string;
  inventory: string;
  json: boolean;
  stateDir: string;
  /** How to find a lab behind the inventory; given by the program that has one (bin/runbook.ts). */
  locateLab?: LabLocator;
}

/**
 * `runbook drill DRILL --inventory INV`: preflight (exit 2 and nothing touched on any problem,
 * a non-drillable inventory above all), then backup, writes, fingerprint, fault, recovery,
 * verification and the report. Exit 0 only when verification passed and both objectives were met.
 */
export async function drillCommand(request: DrillRequest, io: CommandIO): Promise<number> {
  const drillView = await createDrillView(io, request.json);
  const view = drillView.consume;
  const started = new Date();
  view({ type: 'phase-started', phase: 'preflight' });
  const ready = await preflight(request.drill, request.inventory, io.cwd, io.env, request.locateLab);
  if ('kind' in ready) return refuse(io, ready);
  const finished = new Date();
  const record: PhaseRecord = { phase: 'preflight', started: started.toISOString(), finished: finished.toISOString(), durationMs: finished.getTime() - started.getTime(), ok: true, detail: ready.detail };
  view({ type: 'phase-finished', phase: 'preflight', ok: true, durationMs: record.durationMs, detail: record.detail });
  const { report } = await runDrill(ready, record, { stateDir: request.stateDir, json: request.json, io, runIO: drillView.runIO, emit: view });
  await drillView.done();
  return io.signal.aborted ? EXIT.interrupted : report.exitCode;
}

/** The one place a refusal is drawn: diagnostics as file:line:col, or the safety message. */
function refuse(io: CommandIO, refusal: DrillRefusal): number {
  switch (refusal.kind) {
    case 'invalid':
      return reportDiagnostics(io, refusal.diagnostics);
    case 'unsafe':
    case 'usage':
      io.err(`error: ${refusal.message}`);
      return EXIT.usage;
    default: {
      const never: never = refusal;
      throw new Error(`unknown refusal ${JSON.stringify(never)}`);
    }
  }
}
