import type { LintRule, RuleFinding } from '../types.js';

/**
 * Every `run` step is taken as mutating: a shell command's effect cannot be read from its text,
 * and a read-only probe says so with a check of its own or a waiver.
 */
export const runWithoutCheck: LintRule = {
  id: 'run-without-check',
  severity: 'error',
  reason: 'a step without an idempotence check runs again on every retry, resume and rerun',
  check: (runbook) =>
    runbook.steps.flatMap((step, index): RuleFinding[] => {
      const a = step.action.args;
      if (step.action.module !== 'run' || a.check !== undefined || a.creates !== undefined || a.removes !== undefined) return [];
      return [{ step: index, path: `steps[${index}].run`, at: 'key', message: `step '${step.id}' runs a command without check, creates or removes` }];
    }),
};
