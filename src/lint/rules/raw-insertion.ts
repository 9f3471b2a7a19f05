import { rawInsertionsIn, shellFields } from '../shell.js';
import type { LintRule, RuleFinding } from '../types.js';

/** Only shell fields: module arguments and env values are quoted by whoever uses them. */
export const rawInsertion: LintRule = {
  id: 'raw-insertion',
  severity: 'warning',
  reason: '{{{x}}} inserts a value unquoted: a space, ; or $( in it changes the command',
  check: (runbook) =>
    runbook.steps.flatMap((step, index): RuleFinding[] =>
      shellFields(step).flatMap(({ field, text }) => {
        const raw = rawInsertionsIn(text);
        if (raw.length === 0) return [];
        const list = raw.map((r) => `{{{${r}}}}`).join(', ');
        return [{ step: index, path: `steps[${index}].${field}`, message: `${list} in ${field} of step '${step.id}' is inserted without shell quoting` }];
      }),
    ),
};
