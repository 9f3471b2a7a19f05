import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isCommandAction } from '../modules/registry.js';
import type { Runbook, Step } from '../runbook/types.js';
import { CONTEXT_ROOTS, templateReferences } from '../template/index.js';

const RUN_FIELDS = new Set(['id', 'started', 'runbook', 'version', 'inventory', 'check']);
const HOST_FIELDS = new Set(['name', 'address', 'groups', 'vars']);

/** The names a template in a given place may read, beyond the fixed roots. */
interface Scope {
  registered: Set<string>;
  hasItem: boolean;
}

/**
 * Checks every template of the runbook against what its context will hold, before anything
 * runs: params, vars and secrets by name, `item` only in loops, registered results only after
 * the step that registers them. Deeper paths (host.vars.x, a registered result's fields) are
 * checked at render time.
 */
export function checkTemplateReferences(runbook: Runbook): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const check = (text: string, path: string, scope: Scope): void => {
    for (const problem of problemsIn(text, runbook, scope)) {
      const position = runbook.source.valuePositionOf(path);
      diagnostics.push({ severity: 'error', message: problem, path, ...position });
    }
  };
  const varsScope: Scope = { registered: new Set(), hasItem: false };
  for (const [name, value] of Object.entries(runbook.vars)) forEachString(value, `vars.${name}`, (text, path) => check(text, path, varsScope));

  const registered = new Set<string>();
  runbook.steps.forEach((step, index) => {
    const scope: Scope = { registered: new Set(registered), hasItem: step.loop !== undefined };
    for (const [text, path] of stepTemplates(step, `steps[${index}]`)) check(text, path, scope);
    if (step.register) registered.add(step.register);
  });
  return diagnostics;
}

/** Every templated string of a step with its key path. */
function stepTemplates(step: Step, at: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const add = (value: unknown, path: string): void => forEachString(value, path, (text, p) => found.push([text, p]));
  if (step.when !== undefined) add(step.when, `${at}.when`);
  if (Array.isArray(step.loop)) add(step.loop, `${at}.loop`);
  if (step.cwd !== undefined) add(step.cwd, `${at}.cwd`);
  add(step.env, `${at}.env`);
  if (step.confirm !== undefined) add(step.confirm, `${at}.confirm`);
  // run's and probe's companions are keys of the step itself; other modules nest under their key.
  const argsAt = isCommandAction(step.action.module) ? at : `${at}.${step.action.module}`;
  add(step.action.args, argsAt);
  return found;
}

function forEachString(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => forEachString(v, `${path}[${i}]`, visit));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) forEachString(v, `${path}.${k}`, visit);
  }
}

function problemsIn(text: string, runbook: Runbook, scope: Scope): string[] {
  if (!text.includes('{{')) return [];
  let references;
  try {
    references = templateReferences(text);
  } catch (error) {
    return [`template syntax error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`];
  }
  return references.flatMap((ref) => {
    const problem = unknownReason(ref.path, runbook, scope);
    return problem ? [problem] : [];
  });
}

function unknownReason(path: string, runbook: Runbook, scope: Scope): string | undefined {
  const [root = '', field] = path.split('.');
  const unknown = (why: string): string => `unknown template variable '${path}': ${why}`;
  switch (root) {
    case 'params':
      return field === undefined || field in runbook.params ? undefined : unknown(`no param '${field}' is declared`);
    case 'vars':
      return field === undefined || field in runbook.vars ? undefined : unknown(`no var '${field}' is declared`);
    case 'secrets':
      return field === undefined || field in runbook.secrets ? undefined : unknown(`no secret '${field}' is declared`);
    case 'run':
      return field === undefined || RUN_FIELDS.has(field) ? undefined : unknown(`run has ${[...RUN_FIELDS].join(', ')}`);
    case 'host':
      return field === undefined || HOST_FIELDS.has(field) ? undefined : unknown(`host has ${[...HOST_FIELDS].join(', ')}`);
    case 'item':
      return scope.hasItem ? undefined : unknown('item exists only in a step with loop');
    case 'groups':
    case 'hostvars':
      return undefined;
    default:
      if (scope.registered.has(root)) return undefined;
      return unknown(`not one of ${CONTEXT_ROOTS.join(', ')} nor a result registered by an earlier step`);
  }
}
