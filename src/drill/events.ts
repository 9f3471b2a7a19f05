import type { DrillOutcome, PhaseName } from './report-model.js';

/** What a drill reports as it goes; the view (and --json) consume these, the drill never prints. */
export type DrillEvent =
  | /** Preflight passed: the drill is about to touch hosts. */ { type: 'drill-started'; id: string; drill: string; version: string; inventory: string }
  | /** A phase begins. */ { type: 'phase-started'; phase: PhaseName }
  | /** A phase ended; `detail` says what it did or why it failed. */ { type: 'phase-finished'; phase: PhaseName; ok: boolean; durationMs: number; detail: string[] }
  | /** A phase not run because an earlier one failed. */ { type: 'phase-skipped'; phase: PhaseName; reason: string }
  | /** The end: outcome, exit code, the report's path and the measured times. */ {
      type: 'drill-finished';
      outcome: DrillOutcome;
      exitCode: number;
      report: string;
      rtoMs?: number;
      backupAgeMs?: number;
      lost: number;
    };
