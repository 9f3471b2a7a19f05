import type { Runbook } from '../../runbook/types.js';
import { secretsIn, shellFields, varsIn } from '../shell.js';
import type { LintRule, RuleFinding } from '../types.js';

/** Vars whose value reads a secret: `{{vars.dsn}}` in a command carries the secret too. */
function secretVars(runbook: Runbook): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [name, value] of Object.entries(runbook.vars)) {
    const secrets = secretsIn(JSON.stringify(value) ?? '');
    if (secrets.length > 0) found.set(name, secrets);
  }
  return found;
}

function secretsOf(text: string, viaVars: Map<string, string[]>): string[] {
  const direct = secretsIn(text);
  const indirect = varsIn(text).flatMap((v) => viaVars.get(v) ?? []);
  return [...new Set([...direct, ...indirect])];
}

/**
 * `env` and `cwd` count too: they are put into the command itself (sshd drops env requests).
 * Masking hides a secret from our output, not from `ps` on the host.
 */
export const secretOnCommandLine: LintRule = {
  id: 'secret-on-command-line',
  severity: 'error',
  reason: "a secret in a command line or its env is readable in the host's process list by every local user",
  check: (runbook) => {
    const viaVars = secretVars(runbook);
    return runbook.steps.flatMap((step, index): RuleFinding[] => {
      const texts = [
        ...shellFields(step).map(({ field, text }) => ({ path: `steps[${index}].${field}`, text })),
        ...Object.entries(step.env).map(([name, text]) => ({ path: `steps[${index}].env.${name}`, text })),
        ...(step.cwd === undefined ? [] : [{ path: `steps[${index}].cwd`, text: step.cwd }]),
      ];
      return texts.flatMap(({ path, text }) => {
        const secrets = secretsOf(text, viaVars);
        if (secrets.length === 0) return [];
        const names = secrets.map((s) => `secrets.${s}`).join(', ');
        return [{ step: index, path, message: `${names} on the command line of step '${step.id}': write it to a 0600 file (copy module) and pass the file` }];
      });
    });
  },
};
