import { isAbsolute, join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { ALL, type RawGroup, type RawInventory, assignVars } from './data.js';
import type { ConnectionKind, Group, Host, HostKeyPolicy } from './types.js';
import { toBoolean, toPort } from './vars.js';

export { ALL, UNGROUPED } from './data.js';

/** What the control node contributes: defaults that are not in the file. */
export interface InventoryDefaults {
  /** ansible_user when not set: the operator's user name. */
  user: string;
  /** For `~` in paths and ~/.ssh/known_hosts. */
  home: string;
  /** RUNBOOK_KNOWN_HOSTS. */
  env: Record<string, string | undefined>;
}

/**
 * Variables from group_vars/ and host_vars/ folders, one layer per folder in Ansible's order:
 * each inventory source's folder, then the runbook's (Ansible's playbook-adjacent vars).
 */
export interface VarsLayers {
  inventory: VarsLayer[];
  playbook: VarsLayer[];
}

export interface VarsLayer {
  groups: Map<string, Record<string, unknown>>;
  hosts: Map<string, Record<string, unknown>>;
}

/**
 * Raw structure -> groups and hosts with merged variables, in Ansible's precedence (lowest
 * first): `all`'s inventory vars, the other groups' inventory vars, group_vars/all (inventory
 * folders, then the runbook's), group_vars/<group> (same order), the host's inventory vars,
 * host_vars/<host> (inventory, then runbook). Groups are merged by depth (a child is deeper than
 * its parent and wins), then ansible_group_priority, then name (the later wins).
 */
export function buildModel(raw: RawInventory, layers: VarsLayers, baseDir: string, defaults: InventoryDefaults, file: string, diagnostics: Diagnostic[]): { hosts: Host[]; groups: Map<string, Group> } {
  const depth = groupDepths(raw, file, diagnostics);
  const parents = parentsOf(raw);
  const ordered = [...raw.groups.values()].filter((g) => g.name !== ALL).sort((a, b) => (depth.get(a.name) ?? 0) - (depth.get(b.name) ?? 0) || a.priority - b.priority || compare(a.name, b.name));
  const hosts = raw.hostOrder.map((name) => {
    const member = groupsOf(name, raw, parents);
    const mine = ordered.filter((g) => member.has(g.name));
    const vars = mergedVars(raw, layers, name, mine);
    const groups = mine.map((g) => g.name).sort(compare);
    return toHost(name, groups, vars, baseDir, defaults);
  });
  const groups = new Map<string, Group>();
  for (const g of raw.groups.values()) groups.set(g.name, { name: g.name, hosts: [...g.hosts], children: [...g.children], vars: { ...g.vars } });
  return { hosts, groups };
}

function mergedVars(raw: RawInventory, layers: VarsLayers, host: string, groups: RawGroup[]): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  assignVars(vars, raw.groups.get(ALL)?.vars);
  for (const g of groups) assignVars(vars, g.vars);
  const fromFolders = (folders: VarsLayer[], group: string): void => {
    for (const layer of folders) assignVars(vars, layer.groups.get(group));
  };
  fromFolders(layers.inventory, ALL);
  fromFolders(layers.playbook, ALL);
  // Each folder contributes all of the host's groups before the next folder is looked at.
  for (const layer of layers.inventory) for (const g of groups) assignVars(vars, layer.groups.get(g.name));
  for (const layer of layers.playbook) for (const g of groups) assignVars(vars, layer.groups.get(g.name));
  assignVars(vars, raw.hostVars.get(host));
  for (const layer of [...layers.inventory, ...layers.playbook]) assignVars(vars, layer.hosts.get(host));
  return vars;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Longest distance from `all` (Ansible's group depth); a cycle in `children` is reported and cut. */
function groupDepths(raw: RawInventory, file: string, diagnostics: Diagnostic[]): Map<string, number> {
  const depth = new Map<string, number>();
  const reported = new Set<string>();
  const visit = (name: string, d: number, stack: string[]): void => {
    if (stack.includes(name)) {
      const cycle = [...stack.slice(stack.indexOf(name)), name].join(' -> ');
      if (!reported.has(name)) diagnostics.push({ severity: 'error', file, message: `group cycle: ${cycle}` });
      reported.add(name);
      return;
    }
    if ((depth.get(name) ?? -1) >= d) return;
    depth.set(name, d);
    for (const child of raw.groups.get(name)?.children ?? []) visit(child, d + 1, [...stack, name]);
  };
  visit(ALL, 0, []);
  return depth;
}

function parentsOf(raw: RawInventory): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const g of raw.groups.values()) {
    for (const child of g.children) parents.set(child, [...(parents.get(child) ?? []), g.name]);
  }
  return parents;
}

/** The groups a host is in directly, plus all their ancestors. */
function groupsOf(host: string, raw: RawInventory, parents: Map<string, string[]>): Set<string> {
  const found = new Set<string>([ALL]);
  const queue = [...raw.groups.values()].filter((g) => g.hosts.includes(host)).map((g) => g.name);
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (found.has(name) && name !== ALL) continue;
    found.add(name);
    queue.push(...(parents.get(name) ?? []).filter((p) => !found.has(p)));
  }
  return found;
}

/** The first non-empty string among Ansible's names for one setting; the `ansible_ssh_*` name wins, as in Ansible's MAGIC_VARIABLE_MAPPING. */
function firstString(vars: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) if (typeof vars[key] === 'string' && vars[key] !== '') return vars[key] as string;
  return undefined;
}

function toHost(name: string, groups: string[], vars: Record<string, unknown>, dir: string, defaults: InventoryDefaults): Host {
  const keyFile = firstString(vars, 'ansible_ssh_private_key_file', 'ansible_private_key_file');
  const knownHosts = firstString(vars, 'runbook_known_hosts');
  const host: Host = {
    name,
    address: firstString(vars, 'ansible_ssh_host', 'ansible_host') ?? name,
    port: toPort(vars.ansible_ssh_port) ?? toPort(vars.ansible_port) ?? 22,
    user: firstString(vars, 'ansible_ssh_user', 'ansible_user') ?? defaults.user,
    become: toBoolean(vars.ansible_become) ?? false,
    connection: (firstString(vars, 'ansible_connection') as ConnectionKind | undefined) ?? 'ssh',
    groups,
    vars,
    knownHostsFile: knownHosts ? resolvePath(knownHosts, dir, defaults.home) : defaultKnownHosts(defaults),
    hostKeyPolicy: (firstString(vars, 'runbook_host_key_policy') as HostKeyPolicy | undefined) ?? 'strict',
  };
  if (keyFile) host.privateKeyFile = resolvePath(keyFile, dir, defaults.home);
  return host;
}

/** RUNBOOK_KNOWN_HOSTS, else ~/.ssh/known_hosts. */
export function defaultKnownHosts(defaults: InventoryDefaults): string {
  return defaults.env.RUNBOOK_KNOWN_HOSTS || join(defaults.home, '.ssh', 'known_hosts');
}

/** `~` and `~/x` are expanded; relative paths are taken from the inventory's directory. */
export function resolvePath(path: string, dir: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return isAbsolute(path) ? path : resolve(dir, path);
}
