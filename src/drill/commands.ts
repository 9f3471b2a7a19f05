import { hostFacts, inventoryContext } from '../engine/context.js';
import type { Host, Inventory } from '../inventory/types.js';
import { templateReferences } from '../template/references.js';
import type { TemplateEngine } from '../template/template.js';

/**
 * The commands a drill's author writes (`fault[].run`, `verify.assert[].run`) are templates like
 * a runbook's `run`, shell-quoted, with the inventory as their context: the host they run on
 * (`{{host.vars.backup_root}}`), `hostvars` and `groups`. A drill has no params, vars or
 * secrets of its own.
 */
export const DRILL_COMMAND_ROOTS: readonly string[] = ['host', 'hostvars', 'groups'];

/** What is wrong with a command's templates before any host is known, if anything. */
export function drillCommandProblem(command: string): string | undefined {
  let paths: string[];
  try {
    paths = templateReferences(command).map((r) => r.path);
  } catch (error) {
    return `template syntax: ${(error as Error).message.split('\n')[0] ?? ''}`;
  }
  const unknown = paths.find((p) => !DRILL_COMMAND_ROOTS.includes(p.split('.')[0] ?? ''));
  return unknown === undefined ? undefined : `unknown template variable '${unknown}': a drill command may use ${DRILL_COMMAND_ROOTS.join(', ')}`;
}

/** The command for one host; throws TemplateError for a variable the host lacks. */
export function renderDrillCommand(templates: TemplateEngine, command: string, host: Host, inventory: Inventory): string {
  return templates.render(command, { ...inventoryContext(inventory), host: hostFacts(host) }, 'shell');
}
