/*
 * The inventory as the format readers build it, before variables are merged: Ansible's
 * InventoryData. Every reader (YAML, INI) adds to one of these, so several sources merge the
 * way Ansible merges them.
 */

/** A group as written, possibly spread over several places and files (Ansible merges them). */
export interface RawGroup {
  name: string;
  vars: Record<string, unknown>;
  /** Hosts directly in the group, in the order they were added. */
  hosts: string[];
  /** Child groups, in the order they were added. */
  children: string[];
  /** ansible_group_priority: orders the merge of groups of equal depth (default 1). */
  priority: number;
}

/** Every group and host read so far. */
export interface RawInventory {
  /** Every group, `all` and `ungrouped` first, in the order they appear. */
  groups: Map<string, RawGroup>;
  /** Every host in order of first appearance. */
  hostOrder: string[];
  /** Host variables; a host listed twice gets both sets, the later winning (as in Ansible). */
  hostVars: Map<string, Record<string, unknown>>;
}

/** The group everything belongs to, and Ansible's group of hosts that are in no other. */
export const ALL = 'all';
export const UNGROUPED = 'ungrouped';

/** An empty inventory: `all` with its child `ungrouped`, as Ansible starts. */
export function emptyInventory(): RawInventory {
  const raw: RawInventory = { groups: new Map(), hostOrder: [], hostVars: new Map() };
  addGroup(raw, ALL);
  addGroup(raw, UNGROUPED);
  addChild(raw, ALL, UNGROUPED);
  return raw;
}

/** The group, created when new. */
export function addGroup(raw: RawInventory, name: string): RawGroup {
  let found = raw.groups.get(name);
  if (!found) {
    found = { name, vars: {}, hosts: [], children: [], priority: 1 };
    raw.groups.set(name, found);
  }
  return found;
}

/** Adds a host (to `group` when given). A port is taken only when the host is new, as Ansible does. */
export function addHost(raw: RawInventory, host: string, group?: string, port?: number): void {
  if (!raw.hostVars.has(host)) {
    raw.hostOrder.push(host);
    raw.hostVars.set(host, port === undefined ? {} : { ansible_port: port });
  }
  if (group !== undefined) addUnique(addGroup(raw, group).hosts, host);
}

export function addChild(raw: RawInventory, parent: string, child: string): void {
  addGroup(raw, child);
  addUnique(addGroup(raw, parent).children, child);
}

/**
 * Sets a variable the way Ansible's set_variable does: a mapping set over a mapping is merged
 * one level deep; `ansible_group_priority` on a group orders merges and is not a variable.
 */
export function setGroupVar(raw: RawInventory, group: string, key: string, value: unknown): void {
  const target = addGroup(raw, group);
  if (key === 'ansible_group_priority') {
    const priority = Number(value);
    if (Number.isInteger(priority)) target.priority = priority;
    return;
  }
  setVar(target.vars, key, value);
}

export function setHostVar(raw: RawInventory, host: string, key: string, value: unknown): void {
  setVar(raw.hostVars.get(host) as Record<string, unknown>, key, value);
}

function setVar(vars: Record<string, unknown>, key: string, value: unknown): void {
  const old = Object.hasOwn(vars, key) ? vars[key] : undefined;
  defineVar(vars, key, isMapping(old) && isMapping(value) ? { ...old, ...value } : value);
}

/**
 * `target[key] = value` for a variable: a variable may be called `__proto__` (the file is
 * untrusted), which an assignment would take as the object's prototype instead.
 */
export function defineVar(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Object.assign for variables (see defineVar). */
export function assignVars(target: Record<string, unknown>, source: Record<string, unknown> | undefined): void {
  for (const [key, value] of Object.entries(source ?? {})) defineVar(target, key, value);
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Ansible's reconcile_inventory: groups with no parent become children of `all`; a host in no
 * group but `all` goes to `ungrouped`, and leaves it once it is in another group.
 */
export function reconcile(raw: RawInventory): void {
  const hasParent = new Set([...raw.groups.values()].flatMap((g) => g.children));
  for (const g of raw.groups.values()) if (g.name !== ALL && !hasParent.has(g.name)) addChild(raw, ALL, g.name);
  const grouped = new Set([...raw.groups.values()].filter((g) => g.name !== ALL && g.name !== UNGROUPED).flatMap((g) => g.hosts));
  const ungrouped = addGroup(raw, UNGROUPED);
  ungrouped.hosts = ungrouped.hosts.filter((h) => !grouped.has(h));
  for (const host of raw.hostOrder) if (!grouped.has(host)) addUnique(ungrouped.hosts, host);
}

function addUnique(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}
