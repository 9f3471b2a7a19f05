import type { LintRule } from '../types.js';

/** A runbook without a purpose (findings about the whole runbook cannot be waived). */
export const missingDescription: LintRule = {
  id: 'missing-description',
  severity: 'warning',
  reason: 'the description is the purpose an operator reads at 3 a.m. and a reviewer checks the steps against',
  check: (runbook) =>
    runbook.description.trim() === '' ? [{ path: 'name', at: 'key', message: `runbook '${runbook.name}' has no description` }] : [],
};
