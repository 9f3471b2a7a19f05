import type { DrillContext } from './context.js';
import { drillExitCode, lossOf, rpoResult, rtoResult } from './measure.js';
import type { DrillReport, PhaseRecord } from './report-model.js';

const between = (from: string | undefined, to: string | undefined): number | undefined =>
  from && to ? Date.parse(to) - Date.parse(from) : undefined;

/** The report from what the phases found: measurements, objectives, outcome. Pure. */
export function assembleReport(ctx: Pick<DrillContext, 'id' | 'drill' | 'inventory' | 'lab' | 'state'>, meta: { operator: string; started: string; finished: string; timeline: PhaseRecord[] }): DrillReport {
  const { drill, state } = ctx;
  const rtoMs = state.recoveryAsExpected ? between(state.recoveryStartedAt, state.healthyAt) : undefined;
  const backupAgeMs = between(state.backupAt, state.faultAt);
  const completed = meta.timeline.some((p) => p.phase === 'verification');
  const verificationPassed = completed && state.checks.length > 0 && state.checks.every((c) => c.ok) && meta.timeline.every((p) => p.ok || p.phase === 'recovery');
  const objectives = { rto: rtoResult(drill, rtoMs, state.recoveryAsExpected), rpo: rpoResult(drill, completed ? backupAgeMs : undefined, state.markerResults) };
  const exitCode = drillExitCode(verificationPassed && state.recoveryAsExpected, objectives);
  return {
    format: 'runbook-drill/1',
    id: ctx.id,
    drill: { name: drill.name, version: drill.version, sha256: drill.source.sha256, file: drill.source.file, description: drill.description },
    inventory: { file: ctx.inventory.file, sha256: ctx.inventory.sha256 },
    ...(ctx.lab ? { lab: ctx.lab.dir } : {}),
    operator: meta.operator,
    started: meta.started,
    finished: meta.finished,
    outcome: exitCode === 0 ? 'passed' : 'failed',
    exitCode,
    timeline: meta.timeline,
    runs: state.runs,
    faults: state.faults,
    recovery: {
      expect: drill.recovery.expect,
      ...(state.recovery ? { outcome: state.recovery.outcome, exitCode: state.recovery.exitCode } : {}),
      ...(state.recoveryStartedAt ? { startedAt: state.recoveryStartedAt } : {}),
      ...(state.healthyAt ? { healthyAt: state.healthyAt } : {}),
      asExpected: state.recoveryAsExpected,
    },
    measured: {
      ...(rtoMs === undefined ? {} : { rtoMs }),
      ...(state.backupAt ? { backupAt: state.backupAt } : {}),
      ...(state.faultAt ? { faultAt: state.faultAt } : {}),
      ...(backupAgeMs === undefined ? {} : { backupAgeMs }),
      ...lossOf(state.markerResults),
    },
    markers: state.markerResults,
    verification: { passed: verificationPassed, checks: state.checks, fingerprintDiff: state.fingerprintDiff, faultDiff: state.faultDiff },
    objectives,
  };
}
