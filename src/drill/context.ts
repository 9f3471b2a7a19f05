import type { CommandIO } from '../app/io.js';
import type { Inventory } from '../inventory/types.js';
import type { DrillEvent } from './events.js';
import type { DrillHosts } from './hosts.js';
import type { LabAccess, LabFingerprint } from './lab-access.js';
import type { Marker } from './markers.js';
import type { CheckResult, MarkerResult, RunRecord } from './report-model.js';
import type { RunbookRunner } from './run-runbook.js';
import type { Drill } from './types.js';

/** What every phase works with: the inputs, the ways out, and what earlier phases found. */
export interface DrillContext {
  id: string;
  drill: Drill;
  inventory: Inventory;
  lab: LabAccess | undefined;
  hosts: DrillHosts;
  runner: RunbookRunner;
  io: CommandIO;
  emit: (event: DrillEvent) => void;
  state: DrillState;
}

/** Filled in as the phases go; the report is drawn from it. */
export interface DrillState {
  markers: Marker[];
  runs: RunRecord[];
  faults: string[];
  /** When the backup's data was taken: the start of the first backup run. */
  backupAt?: string;
  faultAt?: string;
  preFault?: LabFingerprint;
  preRecovery?: LabFingerprint;
  recovery?: RunRecord;
  recoveryStartedAt?: string;
  healthyAt?: string;
  recoveryAsExpected: boolean;
  markerResults: MarkerResult[];
  checks: CheckResult[];
  fingerprintDiff: string[];
  faultDiff: string[];
}

export const emptyState = (): DrillState => ({
  markers: [], runs: [], faults: [], recoveryAsExpected: false, markerResults: [], checks: [], fingerprintDiff: [], faultDiff: [],
});

/** What a phase returns: whether the drill may go on, and what it did, a line each. */
export interface PhaseOutcome {
  ok: boolean;
  detail: string[];
}
