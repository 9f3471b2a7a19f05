import { destructiveParts } from '../shell.js';
import type { LintRule, RuleFinding } from '../types.js';

/** Only `run` is scanned: a rollback runs unattended after a failure, where a question cannot help. */
export const destructiveWithoutConfirm: LintRule = {
  id: 'destructive-without-confirm',
  severity: 'error',
  reason: 'a command that destroys data (rm -r, DROP, mkfs, dd of=, > truncation) asks the operator first',
  check: (runbook) =>
    runbook.steps.flatMap((step, index): RuleFinding[] => {
      const a = step.action.args;
      if (step.action.module !== 'run' || step.confirm !== undefined || typeof a.run !== 'string') return [];
      const creates = typeof a.creates === 'string' ? a.creates : undefined;
      const parts = destructiveParts(a.run, creates);
      if (parts.length === 0) return [];
      return [{ step: index, path: `steps[${index}].run`, message: `step '${step.id}' is destructive (${parts.join(', ')}) and has no confirm question` }];
    }),
};
