import type { RunOutcome } from '../engine/results.js';
import type { Marker, MarkerFate } from './markers.js';
import type { RecoveryExpectation } from './types.js';

/** The phases of a drill, in order (docs/drills.md). */
export const PHASES = ['preflight', 'backup', 'writes', 'fingerprint', 'fault', 'recovery', 'verification', 'report'] as const;
export type PhaseName = (typeof PHASES)[number];

export interface PhaseRecord {
  phase: PhaseName;
  started: string;
  finished: string;
  durationMs: number;
  ok: boolean;
  /** What happened, a line each. */
  detail: string[];
}

/** One task of a run: a step on a host (one loop item). */
export interface StepTiming {
  step: string;
  host: string;
  itemIndex?: number;
  status: string;
  durationMs: number;
}

/**
 * The time of one phase of a run (the steps' `phase`): each step's wall time (its slowest host,
 * loop items one after another) added up over the phase's steps, which run one after another.
 */
export interface PhaseTiming {
  phase: string;
  durationMs: number;
  steps: number;
}

/** A runbook run made by the drill, summarised from its journal events. */
export interface RunRecord {
  role: 'backup' | 'fault' | 'recovery';
  runbook: string;
  /** Empty when the run was refused before it started (then exitCode says why). */
  runId: string;
  version: string;
  sha256: string;
  params: Record<string, unknown>;
  /** Relative to the report's folder. */
  journal: string;
  started: string;
  finished: string;
  durationMs: number;
  outcome: RunOutcome | 'refused';
  exitCode: number;
  steps: StepTiming[];
  /** Where the time went, by the steps' phases (steps without one: `other`); empty when no step has a phase. */
  phases: PhaseTiming[];
  rollback: { started: boolean; complete: boolean; tasks: number };
}

export interface MarkerResult extends Marker {
  present: boolean;
  fate: MarkerFate;
}

/** One verification, for the report's table. */
export interface CheckResult {
  check: string;
  ok: boolean;
  detail: string;
}

export interface ObjectiveResult {
  objective: string;
  objectiveMs: number;
  /** Undefined when it could not be measured (the drill stopped early, health never came). */
  measuredMs?: number;
  met: boolean;
  why: string;
}

export type DrillOutcome = 'passed' | 'failed';

/** report.json (format runbook-drill/1); report.md is drawn from it. */
export interface DrillReport {
  format: 'runbook-drill/1';
  id: string;
  drill: { name: string; version: string; sha256: string; file: string; description: string };
  inventory: { file: string; sha256: string };
  /** The lab's folder when the inventory is a lab's. */
  lab?: string;
  operator: string;
  started: string;
  finished: string;
  outcome: DrillOutcome;
  exitCode: number;
  timeline: PhaseRecord[];
  runs: RunRecord[];
  faults: string[];
  recovery: { expect: RecoveryExpectation; outcome?: string; exitCode?: number; startedAt?: string; healthyAt?: string; asExpected: boolean };
  measured: { rtoMs?: number; backupAt?: string; faultAt?: string; backupAgeMs?: number; lost: number; restored: number; missing: number; survived: number; unexpected?: number };
  markers: MarkerResult[];
  verification: { passed: boolean; checks: CheckResult[]; fingerprintDiff: string[]; faultDiff: string[] };
  objectives: { rto: ObjectiveResult; rpo: ObjectiveResult };
}
