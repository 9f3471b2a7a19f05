import { allHosts } from './rules/all-hosts.js';
import { destructiveWithoutConfirm } from './rules/destructive-without-confirm.js';
import { missingDescription } from './rules/missing-description.js';
import { paramWithoutShape } from './rules/param-without-shape.js';
import { rawInsertion } from './rules/raw-insertion.js';
import { runWithoutCheck } from './rules/run-without-check.js';
import { runWithoutRollback } from './rules/run-without-rollback.js';
import { secretOnCommandLine } from './rules/secret-on-command-line.js';
import type { LintRule } from './types.js';

/** Every lint rule, in the order docs/review.md lists them. Ids are stable: waivers name them. */
export const RULES: readonly LintRule[] = [
  runWithoutCheck,
  runWithoutRollback,
  destructiveWithoutConfirm,
  secretOnCommandLine,
  paramWithoutShape,
  rawInsertion,
  allHosts,
  missingDescription,
];

/** Findings of the runner itself, about waivers; they cannot be waived. */
export const WAIVER_RULES = {
  unknown: { id: 'unknown-waiver', severity: 'error', reason: 'a waiver must name a rule that exists, or it hides nothing and misleads' },
  unused: { id: 'unused-waiver', severity: 'warning', reason: 'a waiver whose rule no longer fires on the step is stale: remove it' },
} as const;
