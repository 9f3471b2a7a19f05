import type { Runbook } from '../runbook/types.js';

/** An error fails `runbook lint` (exit 1) unless waived; a warning is printed and passes. */
export type LintSeverity = 'error' | 'warning';

/** What a rule reports: a message and where (a key path of the runbook). */
export interface RuleFinding {
  message: string;
  /** Key path, e.g. `steps[2].run`; positions come from `runbook.source`. */
  path: string;
  /** Index of the step the finding is about; only step findings can be waived. */
  step?: number;
  /** Point at the key (default: at its value). */
  at?: 'key' | 'value';
}

/** A policy rule: a stable id (used in waivers), a severity and the one-line reason it exists. */
export interface LintRule {
  id: string;
  severity: LintSeverity;
  reason: string;
  check(runbook: Runbook): RuleFinding[];
}

/** A rule's finding with its rule, position and, when the step waives the rule, the reason given. */
export interface LintFinding {
  rule: string;
  severity: LintSeverity;
  message: string;
  path: string;
  file: string;
  line: number;
  column: number;
  /** The step's id, for findings about a step. */
  step?: string;
  /** The waiver's reason: the finding is shown but does not count. */
  waived?: string;
}

/** Every finding of one runbook, in file order. */
export interface LintReport {
  file: string;
  findings: LintFinding[];
}
