import { moduleNamed } from '../../modules/registry.js';
import type { LintRule, RuleFinding } from '../types.js';

/** `a, b or c`. */
const either = (words: readonly string[]): string => (words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1) ?? ''}`);

/**
 * A step whose module cannot read the host's state (`run`) is taken as mutating: a shell
 * command's effect cannot be read from its text, and a read-only probe says so with a check of
 * its own or a waiver.
 */
export const runWithoutCheck: LintRule = {
  id: 'run-without-check',
  severity: 'error',
  reason: 'a step without an idempotence check runs again on every retry, resume and rerun',
  check: (runbook) =>
    runbook.steps.flatMap((step, index): RuleFinding[] => {
      const a = step.action.args;
      const authored = moduleNamed(step.action.module)?.authored;
      if (authored === undefined || authored.checks.some((key) => a[key] !== undefined)) return [];
      return [{ step: index, path: `steps[${index}].${step.action.module}`, at: 'key', message: `step '${step.id}' runs a command without ${either(authored.checks)}` }];
    }),
};
