import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import semver from 'semver';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { PositionedYaml } from '../diagnostics/yaml.js';
import { parseDuration } from './duration.js';
import { ACTION_KEYS, type RawRunbook, type RawStep, RUN_COMPANIONS } from './raw.js';

/** What the schema cannot say: cross-field rules, names against the file, ids against each other. */
export function semanticDiagnostics(raw: RawRunbook, yaml: PositionedYaml): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Errors point at the value they are about; `key` errors (a key that must not be there) at the key.
  const at = (path: string, message: string, where: 'key' | 'value' = 'value'): void => {
    out.push({ severity: 'error', ...(where === 'key' ? yaml.positionOf(path) : yaml.valuePositionOf(path)), path, message });
  };
  const expected = basename(yaml.file).replace(/\.ya?ml$/, '');
  if (raw.name !== expected) at('name', `name '${raw.name}' must equal the file's base name '${expected}'`);
  if (!semver.valid(raw.version)) at('version', `version '${raw.version}' is not semver (e.g. 1.2.0)`);
  for (const [name, secret] of Object.entries(raw.secrets ?? {})) {
    if ((secret.env === undefined) === (secret.file === undefined)) at(`secrets.${name}`, `secret '${name}' needs exactly one of env or file`);
  }
  const seen = new Map<string, number>();
  raw.steps.forEach((step, index) => {
    const first = seen.get(step.id);
    if (first !== undefined) {
      at(`steps[${index}].id`, `duplicate step id '${step.id}' (first used at line ${yaml.positionOf(`steps[${first}].id`).line})`);
    } else {
      seen.set(step.id, index);
    }
    stepDiagnostics(step, `steps[${index}]`, raw, yaml.file, at);
  });
  return out;
}

type At = (path: string, message: string, where?: 'key' | 'value') => void;

function stepDiagnostics(step: RawStep, path: string, raw: RawRunbook, yamlFile: string, at: At): void {
  const actions = ACTION_KEYS.filter((k) => step[k] !== undefined);
  if (actions.length === 0) at(path, `step '${step.id}' has no action: add run or one module (${ACTION_KEYS.slice(1).join(', ')})`);
  if (actions.length > 1) at(`${path}.${actions[1]}`, `step '${step.id}' has ${actions.length} actions (${actions.join(', ')}): a step does one thing`, 'key');
  if (actions[0] !== 'run' || actions.length > 1) {
    for (const key of RUN_COMPANIONS) {
      if (step[key] !== undefined && actions[0] !== 'run') at(`${path}.${key}`, `'${key}' only goes with run (the ${actions[0] ?? 'module'} module checks and rolls back by itself)`, 'key');
    }
  }
  const checks = (['check', 'creates', 'removes'] as const).filter((k) => step[k] !== undefined);
  if (checks.length > 1) at(`${path}.${checks[1]}`, `use one of check, creates, removes (step '${step.id}' has ${checks.join(' and ')})`, 'key');
  if (step.rollback !== undefined && step.irreversible !== undefined) at(`${path}.irreversible`, `step '${step.id}' has both rollback and irreversible`, 'key');
  if (step.timeout !== undefined && parseDuration(step.timeout) === undefined) at(`${path}.timeout`, `timeout '${step.timeout}' is not a duration (500ms, 30s, 10m, 1h)`);
  if (step.retries?.delay !== undefined && parseDuration(step.retries.delay) === undefined) at(`${path}.retries.delay`, `delay '${step.retries.delay}' is not a duration (500ms, 30s, 10m, 1h)`);
  if (step.copy !== undefined) copyDiagnostics(step.copy as { content?: string; src?: string }, `${path}.copy`, dirname(yamlFile), at);
  if (typeof step.loop === 'string') {
    const problem = loopPathProblem(step.loop, raw);
    if (problem) at(`${path}.loop`, problem);
  }
}

/** A loop path must name a list known before the run: an array param or a list var. */
function loopPathProblem(path: string, raw: RawRunbook): string | undefined {
  const [root, name, ...rest] = path.split('.');
  if (rest.length > 0 || name === undefined || (root !== 'params' && root !== 'vars')) {
    return `loop '${path}' must be a list, params.<name> or vars.<name>`;
  }
  if (root === 'params') {
    const param = raw.params?.[name];
    if (!param) return `loop '${path}': no param '${name}' is declared`;
    return param.type === 'array' ? undefined : `loop '${path}' is not a list: param '${name}' has type ${param.type}`;
  }
  if (!raw.vars || !(name in raw.vars)) return `loop '${path}': no var '${name}' is declared`;
  return Array.isArray(raw.vars[name]) ? undefined : `loop '${path}' is not a list: var '${name}' is not a YAML list`;
}

/** copy takes content or a control-node file (read when the runbook loads, so it must exist). */
function copyDiagnostics(copy: { content?: string; src?: string }, path: string, runbookDir: string, at: At): void {
  if ((copy.content === undefined) === (copy.src === undefined)) {
    at(path, 'copy needs exactly one of content or src');
  } else if (copy.src !== undefined && !existsSync(resolve(runbookDir, copy.src))) {
    at(`${path}.src`, `copy src '${copy.src}' does not exist (relative to the runbook: ${resolve(runbookDir, copy.src)})`);
  }
}
