import { MASK } from '../secrets/redactor.js';
import type { Group, Inventory } from './types.js';

/*
 * What `runbook inventory` prints, shaped like ansible-inventory's output so the two can be
 * diffed: groups and hosts in the order they were added, as Ansible keeps them.
 */

/** The group tree, like `ansible-inventory --graph`: `@group:` lines, children before hosts. */
export function renderInventoryGraph(inventory: Inventory): string {
  const lines: string[] = [];
  const walk = (group: Group, depth: number, seen: ReadonlySet<string>): void => {
    lines.push(graphLine(`@${group.name}:`, depth));
    for (const child of group.children) {
      const g = inventory.groups.get(child);
      if (g && !seen.has(child)) walk(g, depth + 1, new Set([...seen, child]));
    }
    if (group.name !== 'all') for (const host of group.hosts) lines.push(graphLine(host, depth + 1));
  };
  const all = inventory.groups.get('all');
  if (all) walk(all, 0, new Set(['all']));
  return lines.join('\n');
}

function graphLine(name: string, depth: number): string {
  return depth === 0 ? name : `${'  |'.repeat(depth)}--${name}`;
}

type GroupJson = { hosts?: string[]; children?: string[] };

/** Ansible's `--list` JSON shape: groups with hosts/children, and `_meta.hostvars`. */
export interface InventoryJson {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: GroupJson | InventoryJson['_meta'];
}

/**
 * The inventory like `ansible-inventory --list`: every group reachable from `all` that has hosts
 * or children, and the merged variables of each host that has any, under `_meta.hostvars`. A
 * `!vault` value is shown as its ciphertext (`{"__ansible_vault": ...}`), never decrypted, and
 * an `!unsafe` one as `{"__ansible_unsafe": ...}`. The values of a vault-encrypted file, which
 * ansible-inventory prints decrypted, are masked: they are secrets.
 */
export function inventoryJson(inventory: Inventory): InventoryJson {
  const out: InventoryJson = { _meta: { hostvars: {} } };
  const visit = (group: Group): void => {
    const entry: GroupJson = {};
    if (group.name !== 'all' && group.hosts.length > 0) entry.hosts = [...group.hosts];
    if (group.children.length > 0) entry.children = [...group.children];
    if (entry.hosts || entry.children) out[group.name] = entry;
    for (const child of group.children) {
      const g = inventory.groups.get(child);
      if (g && !(child in out)) visit(g);
    }
  };
  const all = inventory.groups.get('all');
  if (all) visit(all);
  for (const host of inventory.hosts) {
    if (Object.keys(host.vars).length > 0) out._meta.hostvars[host.name] = listed(host.vars, { vault: inventory.vaultText ?? new Map(), unsafe: inventory.unsafeText ?? new Set(), secrets: new Set(inventory.secrets) }) as Record<string, unknown>;
  }
  return out;
}

/** A value as ansible-inventory lists it: vault values as their ciphertext, `!unsafe` texts marked. */
interface Marks {
  vault: ReadonlyMap<string, string>;
  unsafe: ReadonlySet<string>;
  secrets: ReadonlySet<string>;
}

function listed(value: unknown, marks: Marks): unknown {
  if (typeof value === 'string') {
    const ciphertext = marks.vault.get(value);
    if (ciphertext !== undefined) return { __ansible_vault: ciphertext };
    if (marks.secrets.has(value)) return MASK;
    return marks.unsafe.has(value) ? { __ansible_unsafe: value } : value;
  }
  if (Array.isArray(value)) return value.map((v) => listed(v, marks));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, listed(v, marks)]));
  return value;
}
