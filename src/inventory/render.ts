import type { Group, Inventory } from './types.js';

/**
 * The inventory as a tree, like `ansible-inventory --graph`:
 * `@all:` then `|--@group:` per child group and `|--host` per host, children before hosts.
 */
export function renderInventoryGraph(inventory: Inventory): string {
  const lines: string[] = ['@all:'];
  const walk = (group: Group, indent: string, seen: ReadonlySet<string>): void => {
    for (const child of [...group.children].sort()) {
      const g = inventory.groups.get(child);
      if (!g || seen.has(child)) continue;
      lines.push(`${indent}|--@${child}:`);
      walk(g, `${indent}|  `, new Set([...seen, child]));
    }
    for (const host of [...group.hosts].sort()) lines.push(`${indent}|--${host}`);
  };
  const all = inventory.groups.get('all');
  if (all) walk(all, '  ', new Set(['all']));
  return lines.join('\n');
}

/** Ansible's `--list` JSON shape: groups with hosts/children/vars, and `_meta.hostvars`. */
export interface InventoryJson {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: { hosts?: string[]; children?: string[]; vars?: Record<string, unknown> } | InventoryJson['_meta'];
}

/** The inventory like `ansible-inventory --list`: merged variables per host under `_meta.hostvars`. */
export function inventoryJson(inventory: Inventory): InventoryJson {
  const out: InventoryJson = { _meta: { hostvars: {} } };
  for (const host of inventory.hosts) out._meta.hostvars[host.name] = { ...host.vars };
  for (const group of inventory.groups.values()) {
    const entry: { hosts?: string[]; children?: string[]; vars?: Record<string, unknown> } = {};
    if (group.hosts.length > 0) entry.hosts = [...group.hosts];
    if (group.children.length > 0) entry.children = [...group.children].sort();
    if (Object.keys(group.vars).length > 0) entry.vars = { ...group.vars };
    out[group.name] = entry;
  }
  return out;
}
