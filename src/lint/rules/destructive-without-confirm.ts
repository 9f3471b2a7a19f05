import { moduleNamed } from '../../modules/registry.js';
import { destructiveParts } from '../shell.js';
import type { LintRule, RuleFinding } from '../types.js';

/**
 * Only the command an author writes for a step (`run`) is scanned: a rollback runs unattended
 * after a failure, where a question cannot help, and modules build their own commands.
 */
export const destructiveWithoutConfirm: LintRule = {
  id: 'destructive-without-confirm',
  severity: 'error',
  reason: 'a command that destroys data (rm -r, DROP, mkfs, dd of=, > truncation) asks the operator first',
  check: (runbook) =>
    runbook.steps.flatMap((step, index): RuleFinding[] => {
      const a = step.action.args;
      const authored = moduleNamed(step.action.module)?.authored;
      const command = authored === undefined ? undefined : a[authored.command];
      if (authored === undefined || step.confirm !== undefined || typeof command !== 'string') return [];
      const created = authored.creates === undefined ? undefined : a[authored.creates];
      const parts = destructiveParts(command, typeof created === 'string' ? created : undefined);
      if (parts.length === 0) return [];
      return [{ step: index, path: `steps[${index}].${authored.command}`, message: `step '${step.id}' is destructive (${parts.join(', ')}) and has no confirm question` }];
    }),
};
