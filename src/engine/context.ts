import type { Host, Inventory } from '../inventory/types.js';
import type { Plan } from '../plan/types.js';
import type { RunInfo, TemplateContext } from '../template/context.js';
import type { TemplateEngine } from '../template/template.js';

/** What every host's template context shares. */
export interface SharedContext {
  params: Record<string, unknown>;
  groups: Record<string, string[]>;
  hostvars: Record<string, Record<string, unknown>>;
  run: RunInfo;
  secrets: Record<string, string>;
}

export function sharedContext(plan: Plan, run: RunInfo, secrets: Record<string, string>): SharedContext {
  return { params: plan.params, ...inventoryContext(plan.inventory), run, secrets };
}

/** What templates see of the inventory: `groups.<name>` (host names) and `hostvars.<host>.<var>`. */
export function inventoryContext(inventory: Inventory): Pick<SharedContext, 'groups' | 'hostvars'> {
  const groups: Record<string, string[]> = { all: inventory.hosts.map((h) => h.name) };
  for (const group of inventory.groups.values()) {
    groups[group.name] = inventory.hosts.filter((h) => h.groups.includes(group.name)).map((h) => h.name);
  }
  const hostvars = Object.fromEntries(inventory.hosts.map((h) => [h.name, h.vars]));
  return { groups, hostvars };
}

/** `host.name`, `host.address`, `host.groups`, `host.vars`: the host a template is rendered for. */
export function hostFacts(host: Host): TemplateContext['host'] {
  return { name: host.name, address: host.address, groups: host.groups, vars: host.vars };
}

/**
 * A host's context. Runbook vars are rendered once per host, in the order they are declared,
 * so a var may use params, host facts, secrets and the vars above it.
 */
export function hostContext(shared: SharedContext, host: Host, rawVars: Record<string, unknown>, templates: TemplateEngine): TemplateContext {
  const context: TemplateContext = {
    ...shared,
    vars: {},
    host: hostFacts(host),
  };
  for (const [name, value] of Object.entries(rawVars)) {
    context.vars[name] = renderDeep(value, context, templates);
  }
  return context;
}

/** `{{ a.b }}` and nothing else: a reference whose value may keep its type. */
const WHOLE_REFERENCE = /^\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}\}$/;

/**
 * Renders every string inside a value, raw (values, not commands). A string that is exactly one
 * reference to a list or a mapping becomes that list or mapping, as in Ansible
 * (`only: "{{params.databases}}"`); everything else renders to text.
 */
export function renderDeep(value: unknown, context: object, templates: TemplateEngine): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_REFERENCE.exec(value);
    const found = whole?.[1] === undefined ? undefined : lookupPath(context, whole[1]);
    if (found !== null && typeof found === 'object') return found;
    return templates.render(value, context, 'raw');
  }
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, context, templates));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, context, templates)]));
  }
  return value;
}

/** A dotted path (`params.services`) looked up in a context. */
export function lookupPath(context: object, path: string): unknown {
  let value: unknown = context;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
