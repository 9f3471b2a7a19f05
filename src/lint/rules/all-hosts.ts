import type { LintRule, RuleFinding } from '../types.js';

/** `all` or `*` as an included term of a comma pattern (`all,!cmp1` still reaches new hosts). */
export function reachesAllHosts(pattern: string): boolean {
  return pattern.split(',').some((term) => ['all', '*'].includes(term.trim()));
}

/** Steps whose host pattern includes every host. */
export const allHosts: LintRule = {
  id: 'all-hosts',
  severity: 'warning',
  reason: 'a step on all hosts reaches every host added to the inventory later; name the group',
  check: (runbook) =>
    runbook.steps.flatMap((step, index): RuleFinding[] => {
      if (!reachesAllHosts(step.hosts)) return [];
      // A step without hosts inherits the runbook's: the finding points at the step then. A
      // missing key's key and value positions are both its parent's; a present key's differ.
      const key = runbook.source.positionOf(`steps[${index}].hosts`);
      const value = runbook.source.valuePositionOf(`steps[${index}].hosts`);
      const own = key.line !== value.line || key.column !== value.column;
      const path = own ? `steps[${index}].hosts` : `steps[${index}]`;
      return [{ step: index, path, message: `step '${step.id}' runs on '${step.hosts}'${own ? '' : ' (the runbook default)'}` }];
    }),
};
