import { hasShape } from '../../runbook/param-shape.js';
import type { ParamSpec, Runbook, Step } from '../../runbook/types.js';
import { paramsIn, varsIn } from '../shell.js';
import type { LintRule, RuleFinding } from '../types.js';

/** A string, or a list of strings (items without a type are strings: `--param a,b`). */
function takesStrings(spec: ParamSpec): boolean {
  return spec.type === 'string' || (spec.type === 'array' && (spec.items === undefined || spec.items.type === 'string'));
}

function shaped(spec: ParamSpec): boolean {
  return hasShape(spec) || (spec.items !== undefined && hasShape(spec.items));
}

/** The params a var reads, through the vars it reads in turn. */
function varParams(runbook: Runbook, name: string, seen = new Set<string>()): string[] {
  if (seen.has(name) || !Object.hasOwn(runbook.vars, name)) return [];
  seen.add(name);
  const text = JSON.stringify(runbook.vars[name]) ?? '';
  return [...paramsIn(text), ...varsIn(text).flatMap((v) => varParams(runbook, v, seen))];
}

/**
 * What of a step makes commands: every argument of its action (a module builds its commands
 * from them: a service name reaches systemctl), env, cwd and the loop that feeds `{{item}}`.
 * Not `when` or `confirm`, which only decide or ask.
 */
function commandParams(runbook: Runbook, step: Step): string[] {
  const loop = typeof step.loop === 'string' ? `{{${step.loop}}}` : JSON.stringify(step.loop ?? []);
  const text = [JSON.stringify(step.action.args), JSON.stringify(step.env), step.cwd ?? '', loop].join('\n');
  return [...paramsIn(text), ...varsIn(text).flatMap((v) => varParams(runbook, v))];
}

/** String params that reach a command with no declared shape: any value would reach an interpreter. */
export const paramWithoutShape: LintRule = {
  id: 'param-without-shape',
  severity: 'error',
  reason: "a param's value reaches mysql, tar or systemctl, which shell quoting does not protect: declare its pattern, format or enum",
  check: (runbook) => {
    const users = new Map<string, string[]>();
    for (const step of runbook.steps) {
      for (const name of new Set(commandParams(runbook, step))) users.set(name, [...(users.get(name) ?? []), step.id]);
    }
    return Object.entries(runbook.params).flatMap(([name, spec]): RuleFinding[] => {
      const steps = users.get(name);
      if (steps === undefined || !takesStrings(spec) || shaped(spec)) return [];
      const where = spec.type === 'array' ? 'items: { type: string, format: ... }' : 'format, pattern or enum';
      const message = `param '${name}' reaches the commands of ${steps.map((s) => `'${s}'`).join(', ')} with any value: declare its shape (${where})`;
      return [{ path: `params.${name}`, at: 'key', message }];
    });
  },
};
