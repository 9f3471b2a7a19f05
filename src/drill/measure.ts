import type { DrillReport, MarkerResult, ObjectiveResult } from './report-model.js';
import type { Drill } from './types.js';

/** Milliseconds as people read them: 850 ms, 12.3 s, 4 min 05 s, 2 h 10 min. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return 'not measured';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')} s`;
  return `${Math.floor(ms / 3_600_000)} h ${String(Math.round((ms % 3_600_000) / 60_000)).padStart(2, '0')} min`;
}

/** Counts of marker fates: the measured loss. */
export function lossOf(markers: readonly MarkerResult[]): Pick<DrillReport['measured'], 'lost' | 'restored' | 'missing' | 'survived' | 'unexpected'> {
  const count = (fate: MarkerResult['fate']): number => markers.filter((m) => m.fate === fate).length;
  return { lost: count('lost'), restored: count('restored'), missing: count('missing'), survived: count('survived'), unexpected: count('unexpected') };
}

/**
 * Recovery time objective: met when the recovery ended as the drill expects and health was
 * verified within `rto` of the recovery's start.
 */
export function rtoResult(drill: Drill, measuredMs: number | undefined, recoveryAsExpected: boolean): ObjectiveResult {
  const base = { objective: drill.objectives.rto, objectiveMs: drill.objectives.rtoMs, ...(measuredMs === undefined ? {} : { measuredMs }) };
  if (!recoveryAsExpected) return { ...base, met: false, why: 'the recovery did not end as the drill expects' };
  if (measuredMs === undefined) return { ...base, met: false, why: 'health was never verified' };
  const met = measuredMs <= drill.objectives.rtoMs;
  return { ...base, met, why: `${formatMs(measuredMs)} from the start of the recovery to verified health, objective ${drill.objectives.rto}` };
}

/**
 * Recovery point objective: met when the backup was younger than `rpo` at the fault and every
 * marker written before the backup came back (data older than the backup lost breaks any RPO).
 */
export function rpoResult(drill: Drill, backupAgeMs: number | undefined, markers: readonly MarkerResult[]): ObjectiveResult {
  const base = { objective: drill.objectives.rpo, objectiveMs: drill.objectives.rpoMs, ...(backupAgeMs === undefined ? {} : { measuredMs: backupAgeMs }) };
  if (backupAgeMs === undefined) return { ...base, met: false, why: 'no backup and fault time to measure' };
  const missing = markers.filter((m) => m.fate === 'missing');
  if (missing.length > 0) return { ...base, met: false, why: `${missing.length} marker(s) written before the backup did not come back: ${missing.map((m) => m.write).join(', ')}` };
  const lost = markers.filter((m) => m.fate === 'lost' && m.stage === 'after-backup').length;
  const byDesign = markers.filter((m) => m.fate === 'lost' && m.stage === 'before-backup').map((m) => m.write);
  const met = backupAgeMs <= drill.objectives.rpoMs;
  const designed = byDesign.length > 0 ? `; lost whatever the backup, as the drill expects: ${[...new Set(byDesign)].join(', ')}` : '';
  return { ...base, met, why: `the backup was ${formatMs(backupAgeMs)} old at the fault, objective ${drill.objectives.rpo}; ${lost} write(s) made after it lost${designed}` };
}

/** Exit code of a drill that ran: 0 only when verification passed and both objectives were met. */
export function drillExitCode(verificationPassed: boolean, objectives: DrillReport['objectives']): 0 | 1 {
  return verificationPassed && objectives.rto.met && objectives.rpo.met ? 0 : 1;
}
