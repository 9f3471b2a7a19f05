import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RawGroup, RawInventory } from './parse.js';
import type { ConnectionKind, Group, Host, HostKeyPolicy } from './types.js';
import { toBoolean, toPort } from './vars.js';

/** What the control node contributes: defaults that are not in the file. */
export interface InventoryDefaults {
  /** ansible_user when not set: the operator's user name. */
  user: string;
  /** For `~` in paths and ~/.ssh/known_hosts. */
  home: string;
  /** RUNBOOK_KNOWN_HOSTS. */
  env: Record<string, string | undefined>;
}

/** The group everything belongs to, and Ansible's group of hosts that are in no other. */
export const ALL = 'all';
export const UNGROUPED = 'ungrouped';

/**
 * Raw structure -> groups and hosts with merged variables. Precedence, lowest first: `all`,
 * then groups by depth (a child group is deeper than its parent and wins), groups of equal
 * depth by name (alphabetical, the later wins, as Ansible does), then the host's own variables.
 */
export function buildModel(raw: RawInventory, file: string, defaults: InventoryDefaults, diagnostics: Diagnostic[]): { hosts: Host[]; groups: Map<string, Group> } {
  addUngrouped(raw);
  const depth = groupDepths(raw, file, diagnostics);
  const parents = parentsOf(raw);
  const ordered = [...raw.groups.values()].sort((a, b) => (depth.get(a.name) ?? 0) - (depth.get(b.name) ?? 0) || compare(a.name, b.name));
  const hosts = raw.hostOrder.map((name) => {
    const member = groupsOf(name, raw, parents);
    const vars: Record<string, unknown> = {};
    for (const g of ordered) if (member.has(g.name)) Object.assign(vars, g.vars);
    Object.assign(vars, raw.hostVars.get(name));
    const groups = [...member].filter((g) => g !== ALL).sort(compare);
    return toHost(name, groups, vars, file, defaults);
  });
  const groups = new Map<string, Group>();
  for (const g of raw.groups.values()) groups.set(g.name, { name: g.name, hosts: [...g.hosts], children: [...g.children], vars: { ...g.vars } });
  return { hosts, groups };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Hosts listed only under `all` go to `ungrouped`, as in Ansible (and its --graph output). */
function addUngrouped(raw: RawInventory): void {
  const grouped = new Set([...raw.groups.values()].filter((g) => g.name !== ALL && g.name !== UNGROUPED).flatMap((g) => g.hosts));
  let ungrouped = raw.groups.get(UNGROUPED);
  if (!ungrouped) {
    ungrouped = { name: UNGROUPED, vars: {}, hosts: [], children: [] };
    raw.groups.set(UNGROUPED, ungrouped);
  }
  const all = raw.groups.get(ALL) as RawGroup;
  if (!all.children.includes(UNGROUPED)) all.children.push(UNGROUPED);
  for (const host of raw.hostOrder) if (!grouped.has(host) && !ungrouped.hosts.includes(host)) ungrouped.hosts.push(host);
  // Like ansible-inventory, `all` shows its hosts through its child groups only.
  all.hosts = [];
}

/** Longest distance from `all`; a cycle in `children` is reported and cut. */
function groupDepths(raw: RawInventory, file: string, diagnostics: Diagnostic[]): Map<string, number> {
  const depth = new Map<string, number>();
  const visit = (name: string, d: number, stack: string[]): void => {
    if (stack.includes(name)) {
      diagnostics.push({ severity: 'error', file, message: `group cycle: ${[...stack.slice(stack.indexOf(name)), name].join(' -> ')}` });
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

function toHost(name: string, groups: string[], vars: Record<string, unknown>, file: string, defaults: InventoryDefaults): Host {
  const dir = dirname(file);
  const str = (key: string): string | undefined => (typeof vars[key] === 'string' && vars[key] !== '' ? (vars[key] as string) : undefined);
  const keyFile = str('ansible_ssh_private_key_file');
  const knownHosts = str('runbook_known_hosts');
  const host: Host = {
    name,
    address: str('ansible_host') ?? name,
    port: toPort(vars.ansible_port) ?? 22,
    user: str('ansible_user') ?? defaults.user,
    become: toBoolean(vars.ansible_become) ?? false,
    connection: (str('ansible_connection') as ConnectionKind | undefined) ?? 'ssh',
    groups,
    vars,
    knownHostsFile: knownHosts ? resolvePath(knownHosts, dir, defaults.home) : defaultKnownHosts(defaults),
    hostKeyPolicy: (str('runbook_host_key_policy') as HostKeyPolicy | undefined) ?? 'strict',
  };
  if (keyFile) host.privateKeyFile = resolvePath(keyFile, dir, defaults.home);
  return host;
}

/** RUNBOOK_KNOWN_HOSTS, else ~/.ssh/known_hosts. */
export function defaultKnownHosts(defaults: InventoryDefaults): string {
  return defaults.env.RUNBOOK_KNOWN_HOSTS || join(defaults.home, '.ssh', 'known_hosts');
}

/** `~` and `~/x` are expanded; relative paths are taken from the inventory file's directory. */
export function resolvePath(path: string, dir: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return isAbsolute(path) ? path : resolve(dir, path);
}
