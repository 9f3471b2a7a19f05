import { moduleNamed } from '../../modules/registry.js';
import type { LintRule, RuleFinding } from '../types.js';

/** SPEC: a failed run undoes what it changed; a `run` step says how, or why it cannot. */
export const runWithoutRollback: LintRule = {
  id: 'run-without-rollback',
  severity: 'error',
  reason: 'a failed run must undo what it changed: give a rollback, or say with irreversible why none exists',
  check: (runbook) =>
    runbook.steps.flatMap((step, index): RuleFinding[] => {
      const a = step.action.args;
      const authored = moduleNamed(step.action.module)?.authored;
      if (authored === undefined || a[authored.rollback] !== undefined || a[authored.irreversible] !== undefined) return [];
      return [{ step: index, path: `steps[${index}].${step.action.module}`, at: 'key', message: `step '${step.id}' has neither ${authored.rollback} nor ${authored.irreversible}` }];
    }),
};
