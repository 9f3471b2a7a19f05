import { isMap, isScalar, type Pair, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkVar } from './vars.js';
import type { YamlSource } from './yaml-source.js';

/** A group as written, possibly spread over several places of the file (Ansible merges them). */
export interface RawGroup {
  name: string;
  vars: Record<string, unknown>;
  /** Hosts directly in the group, in file order. */
  hosts: string[];
  children: string[];
}

/** The inventory file's structure before variables are merged. */
export interface RawInventory {
  /** Every group, `all` first, in the order they appear. */
  groups: Map<string, RawGroup>;
  /** Every host in order of first appearance. */
  hostOrder: string[];
  /** Host variables; a host listed twice gets both sets, the later winning (as in Ansible). */
  hostVars: Map<string, Record<string, unknown>>;
}

const GROUP_KEYS = ['hosts', 'vars', 'children'];

/** Walks Ansible's YAML layout (`all: {vars, hosts, children}`, other top-level groups under all). */
export function parseInventoryTree(source: YamlSource, diagnostics: Diagnostic[]): RawInventory {
  const raw: RawInventory = { groups: new Map(), hostOrder: [], hostVars: new Map() };
  group(raw, 'all');
  const root = source.root;
  if (root === undefined || (isScalar(root) && root.value === null)) return raw;
  if (!isMap(root)) {
    diagnostics.push(source.at(root, '', 'an inventory is a mapping of groups, starting with `all:`'));
    return raw;
  }
  for (const pair of pairs(root)) {
    const name = keyOf(pair);
    if (name === undefined) {
      diagnostics.push(source.at(pair.key, '', 'group names are strings'));
      continue;
    }
    parseGroup(source, raw, name, pair.value, name, diagnostics);
    if (name !== 'all') addUnique(group(raw, 'all').children, name);
  }
  return raw;
}

function parseGroup(source: YamlSource, raw: RawInventory, name: string, node: unknown, path: string, diagnostics: Diagnostic[]): void {
  const target = group(raw, name);
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return;
  if (!isMap(node)) {
    diagnostics.push(source.at(node, path, `group '${name}' must be a mapping with hosts, vars or children`));
    return;
  }
  for (const pair of pairs(node)) {
    const key = keyOf(pair);
    const at = `${path}.${key ?? '?'}`;
    if (key === 'hosts') parseHosts(source, raw, target, pair.value, at, diagnostics);
    else if (key === 'vars') Object.assign(target.vars, parseVars(source, pair.value, at, diagnostics));
    else if (key === 'children') parseChildren(source, raw, target, pair.value, at, diagnostics);
    else diagnostics.push(source.at(pair.key, at, `unknown key '${key}' in group '${name}' (expected ${GROUP_KEYS.join(', ')})`));
  }
}

function parseHosts(source: YamlSource, raw: RawInventory, target: RawGroup, node: unknown, path: string, diagnostics: Diagnostic[]): void {
  if (isNull(node)) return;
  if (!isMap(node)) {
    diagnostics.push(source.at(node, path, 'hosts must be a mapping of host names to their variables'));
    return;
  }
  for (const pair of pairs(node)) {
    const host = keyOf(pair);
    if (host === undefined || host === '') {
      diagnostics.push(source.at(pair.key, path, 'host names are non-empty strings'));
      continue;
    }
    if (raw.groups.has(host) && host !== target.name) {
      diagnostics.push(source.at(pair.key, `${path}.${host}`, `'${host}' is both a group and a host; host patterns could not tell them apart`));
    }
    addUnique(target.hosts, host);
    if (!raw.hostVars.has(host)) {
      raw.hostOrder.push(host);
      raw.hostVars.set(host, {});
    }
    Object.assign(raw.hostVars.get(host) as Record<string, unknown>, parseVars(source, pair.value, `${path}.${host}`, diagnostics));
  }
}

function parseChildren(source: YamlSource, raw: RawInventory, target: RawGroup, node: unknown, path: string, diagnostics: Diagnostic[]): void {
  if (isNull(node)) return;
  if (!isMap(node)) {
    diagnostics.push(source.at(node, path, 'children must be a mapping of group names'));
    return;
  }
  for (const pair of pairs(node)) {
    const child = keyOf(pair);
    if (child === undefined || child === 'all') {
      diagnostics.push(source.at(pair.key, path, child === 'all' ? '`all` cannot be a child group' : 'group names are strings'));
      continue;
    }
    addUnique(target.children, child);
    parseGroup(source, raw, child, pair.value, `${path}.${child}`, diagnostics);
  }
}

/** A vars mapping to plain values; ansible_* and runbook_* values are checked where they are written. */
function parseVars(source: YamlSource, node: unknown, path: string, diagnostics: Diagnostic[]): Record<string, unknown> {
  if (isNull(node)) return {};
  if (!isMap(node)) {
    diagnostics.push(source.at(node, path, 'variables must be a mapping'));
    return {};
  }
  const vars: Record<string, unknown> = {};
  for (const pair of pairs(node)) {
    const name = keyOf(pair);
    if (name === undefined) continue;
    const value = source.value(pair.value);
    const problem = checkVar(name, value);
    if (problem) diagnostics.push(source.at(pair.value ?? pair.key, `${path}.${name}`, problem));
    vars[name] = value;
  }
  return vars;
}

function group(raw: RawInventory, name: string): RawGroup {
  let found = raw.groups.get(name);
  if (!found) {
    found = { name, vars: {}, hosts: [], children: [] };
    raw.groups.set(name, found);
  }
  return found;
}

function pairs(map: YAMLMap): Pair[] {
  return map.items as Pair[];
}

function keyOf(pair: Pair): string | undefined {
  const key = isScalar(pair.key) ? pair.key.value : pair.key;
  if (typeof key === 'string') return key;
  if (typeof key === 'number') return String(key);
  return undefined;
}

function isNull(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function addUnique(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}
