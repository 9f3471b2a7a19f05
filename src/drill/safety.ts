import type { Inventory } from '../inventory/types.js';

/** The documented inventory variable that allows drills (docs/inventory.md). */
export const DRILLABLE_VAR = 'runbook_drillable';

/**
 * A drill injects faults, so every host of the inventory must say `runbook_drillable: true`
 * (the boolean, not a string): a production inventory never gets a drill by accident, whatever
 * flags are given. Returns the refusal message, or undefined when the inventory is drillable.
 */
export function drillableProblem(inventory: Inventory): string | undefined {
  if (inventory.hosts.length === 0) return `inventory ${inventory.file} has no hosts`;
  const refusing = inventory.hosts.filter((h) => h.vars[DRILLABLE_VAR] !== true).map((h) => h.name);
  if (refusing.length === 0) return undefined;
  return `inventory ${inventory.file} is not drillable: ${refusing.join(', ')} do not set ${DRILLABLE_VAR}: true. A drill injects faults; it runs only against an inventory that declares itself drillable (docs/drills.md). Nothing was touched.`;
}
