import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { schemaErrorDiagnostics } from '../diagnostics/schema-errors.js';
import { schemaValidator } from '../diagnostics/schemas.js';
import { formatPath, type PathSegment, type PositionedYaml } from '../diagnostics/yaml.js';
import { MODULES } from '../modules/registry.js';
import { isRecord } from './raw.js';

/**
 * Keys Ansible users (and typos) bring, with the runbook key they mean: the modules' own
 * aliases (`command` for run), and these of the step. Typos of these keys (`comand`) are found
 * by edit distance.
 */
const ALIASES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(MODULES.flatMap((m) => (m.aliases ?? []).map((alias) => [alias, m.name]))),
  with_items: 'loop',
  environment: 'env',
  chdir: 'cwd',
  sudo: 'become',
  ignore_errors: 'on_failure',
  until: 'retries',
  delegate_to: 'hosts',
};

/**
 * Rules the schema states for editors in terms ajv can only report as "must match a schema in
 * anyOf" or "boolean schema is false": one action per step, an action's step keys only with
 * it (step-rules.ts says them better), and a module's if/then rules (catalog's per state),
 * which the module's own `rules` report in its words at the same place.
 */
function editorOnly(error: ErrorObject): boolean {
  // Inside a $ref, ajv's schemaPath is relative to the referenced definition (the step).
  const stepLevel = /^\/steps\/\d+$/.test(error.instancePath) && /^#\/(anyOf|dependencies)(\/|$)/.test(error.schemaPath);
  return stepLevel || error.keyword === 'if' || /\/then\//.test(error.schemaPath);
}

/** Schema errors of a runbook value, each at the position of the key or value it is about. */
export function schemaDiagnostics(yaml: PositionedYaml): Diagnostic[] {
  const validate = schemaValidator('runbook');
  if (validate(yaml.value)) return [];
  const errors = (validate.errors ?? []).filter((e) => !editorOnly(e));
  return schemaErrorDiagnostics(errors, yaml, { subject: 'the runbook', aliases: ALIASES, where: (segments) => whereInRunbook(yaml.value, segments) });
}

/** `steps[2].service` -> `service of step 'restart'`: users know their steps by id, not index. */
function whereInRunbook(value: unknown, segments: readonly PathSegment[]): string {
  const [root, index, ...rest] = segments;
  const steps = isRecord(value) ? value.steps : undefined;
  const step = root === 'steps' && typeof index === 'number' && Array.isArray(steps) ? (steps[index] as unknown) : undefined;
  if (isRecord(step) && typeof step.id === 'string') {
    const named = `step '${step.id}'`;
    return rest.length === 0 ? named : `${formatPath(rest)} of ${named}`;
  }
  if ((root === 'params' || root === 'secrets') && typeof index === 'string' && rest.length === 0) {
    return `${root === 'params' ? 'param' : 'secret'} '${index}'`;
  }
  return formatPath(segments);
}
