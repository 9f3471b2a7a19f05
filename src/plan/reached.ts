import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Host, Inventory } from '../inventory/types.js';
import { isCommandAction } from '../runbook/raw.js';
import type { Runbook } from '../runbook/types.js';
import { templateReferences } from '../template/index.js';
import type { PlannedStep } from './types.js';

/**
 * What the plan needs to know about modules that reach other hosts (catalog's storage host,
 * transfer's destination), passed in so that the plan imports no module and no engine.
 */
export interface ReachRules {
  /** The argument keys of a module that name another host (`StepModule.reaches`); none if unknown. */
  fields(module: string): readonly string[];
  /**
   * A field's template rendered for one host of its step with what is known before the run:
   * params, vars, host, groups, hostvars and run. Throws when it needs more (a registered
   * result, `item`, a secret).
   */
  render(template: string, host: Host, params: Record<string, unknown>): string;
}

/**
 * The hosts the steps' modules reach, beyond the steps' own hosts, so that all of them are
 * connected before the first command. Per step that runs, each reached field is rendered for
 * each of the step's hosts; a name that is no host of the inventory is a diagnostic at the
 * field. A field that cannot be rendered before the run (it reads a registered result, `item`
 * or a secret) stands for every host of the groups it reads (directly or through vars), or for
 * every host of the inventory when it reads no group.
 */
export function reachedHosts(runbook: Runbook, inventory: Inventory, steps: readonly PlannedStep[], params: Record<string, unknown>, rules: ReachRules): { hosts: Set<Host>; diagnostics: Diagnostic[] } {
  const hosts = new Set<Host>();
  const diagnostics: Diagnostic[] = [];
  for (const planned of steps) {
    if (planned.skipReason) continue;
    const { module, args } = planned.step.action;
    for (const field of rules.fields(module)) {
      const template = args[field];
      if (typeof template !== 'string') continue;
      const path = `steps[${planned.index}].${isCommandAction(module) ? field : `${module}.${field}`}`;
      for (const host of planned.hosts) {
        const named = renderedHost(template, host, params, rules);
        if (named === undefined) {
          for (const h of candidateHosts(template, runbook.vars, inventory)) hosts.add(h);
          continue;
        }
        const found = inventory.hosts.find((h) => h.name === named);
        if (found) hosts.add(found);
        else diagnostics.push(notAHost(runbook, path, template, named, host, inventory));
      }
    }
  }
  return { hosts, diagnostics };
}

function renderedHost(template: string, host: Host, params: Record<string, unknown>, rules: ReachRules): string | undefined {
  try {
    return rules.render(template, host, params).trim();
  } catch {
    return undefined;
  }
}

function notAHost(runbook: Runbook, path: string, template: string, named: string, host: Host, inventory: Inventory): Diagnostic {
  const rendered = template === named ? '' : ` ('${template}' on ${host.name})`;
  return { severity: 'error', ...runbook.source.valuePositionOf(path), path, message: `'${named}'${rendered} is not a host of ${inventory.file}` };
}

/** The hosts a template could name at run time: those of the groups it reads, or every host. */
function candidateHosts(template: string, vars: Record<string, unknown>, inventory: Inventory): Host[] {
  const groups = groupsRead(template, vars, new Set());
  if (groups === 'any' || groups.size === 0 || groups.has('all')) return inventory.hosts;
  return inventory.hosts.filter((h) => h.groups.some((g) => groups.has(g)));
}

/** The groups a template reads (`groups.storage...`), following `vars.x` into the var's templates. */
export function groupsRead(template: string, vars: Record<string, unknown>, seenVars: Set<string>): Set<string> | 'any' {
  let references;
  try {
    references = templateReferences(template);
  } catch {
    return 'any';
  }
  const groups = new Set<string>();
  for (const { path } of references) {
    const [root, name] = path.split('.');
    if (root === 'groups' && name !== undefined) groups.add(name);
    if (root !== 'vars' || name === undefined || seenVars.has(name)) continue;
    seenVars.add(name);
    for (const text of stringsIn(vars[name])) {
      const inner = groupsRead(text, vars, seenVars);
      if (inner === 'any') return 'any';
      for (const g of inner) groups.add(g);
    }
  }
  return groups;
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}
