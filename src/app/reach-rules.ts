import { hostContext, inventoryContext } from '../engine/context.js';
import type { Inventory } from '../inventory/types.js';
import type { ModuleRegistry } from '../modules/module.js';
import type { ReachRules } from '../plan/reached.js';
import type { Runbook } from '../runbook/types.js';
import type { RunInfo } from '../template/index.js';
import { TemplateEngine } from '../template/template.js';

/**
 * The plan's view of the modules that reach other hosts: their `reaches` fields, rendered in the
 * context a task will have, minus what only the run knows (secrets, registered results, item).
 */
export function reachRules(modules: ModuleRegistry, runbook: Runbook, inventory: Inventory, run: RunInfo): ReachRules {
  const templates = new TemplateEngine();
  const shared = inventoryContext(inventory);
  return {
    fields: (module) => modules.get(module)?.reaches ?? [],
    render: (template, host, params) => templates.render(template, hostContext({ params, ...shared, run, secrets: {} }, host, runbook.vars, templates), 'raw'),
  };
}
