import { isMap, isScalar, type Pair } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { type RawInventory, addChild, addGroup, addHost, setGroupVar, setHostVar } from './data.js';
import { HostRangeError, expandHostPattern } from './host-range.js';
import { type ReadContext, revealValue } from './read-context.js';
import { type YamlSource, parseYamlSource } from './yaml-source.js';

/** Why a file is not a YAML inventory (Ansible then tries it as INI), or undefined when it was read. */
export type NotYaml = { reason: string; diagnostics: Diagnostic[] };

const GROUP_KEYS = ['hosts', 'vars', 'children'];

/**
 * Reads Ansible's YAML layout (`group: {hosts, vars, children}` at the top level, groups nested
 * under `children`) into `raw`. Host keys may carry `:port` and `[a:b]` ranges. Problems inside a
 * YAML inventory go to `ctx.diagnostics`; a file that is not one at all is returned as NotYaml.
 */
export function readYamlInventory(file: string, text: string, raw: RawInventory, ctx: ReadContext): NotYaml | undefined {
  const source = parseYamlSource(file, text);
  if (source.errors.length > 0) return { reason: 'YAML syntax error', diagnostics: source.errors };
  const root = source.root;
  if (isNull(root)) return { reason: 'empty YAML document', diagnostics: [] };
  if (!isMap(root)) return { reason: 'a YAML inventory is a mapping of groups', diagnostics: [source.at(root, '', 'a YAML inventory is a mapping of groups, starting with `all:`')] };
  const plugin = source.pairs(root).find((p) => keyOf(p) === 'plugin');
  if (plugin) {
    const name = String(source.value(plugin.value));
    ctx.diagnostics.push(source.at(plugin.key, 'plugin', `inventory plugin '${name}' is not supported: runbook reads static inventories (YAML, INI, directories); run \`ansible-inventory -i ${file} --list --yaml\` to export one`));
    return undefined;
  }
  const reader = new YamlInventoryReader(source, raw, ctx);
  for (const pair of source.pairs(root)) {
    const name = reader.groupName(pair, '');
    if (name !== undefined) reader.group(name, pair.value, name);
  }
  return undefined;
}

class YamlInventoryReader {
  constructor(
    private readonly source: YamlSource,
    private readonly raw: RawInventory,
    private readonly ctx: ReadContext,
  ) {}

  /** A group's name: a non-empty string, as Ansible requires (`2024:` or YAML 1.1's `yes:` are not). */
  groupName(pair: Pair, path: string): string | undefined {
    const name = keyOf(pair);
    const written = isScalar(pair.key) ? pair.key.value : undefined;
    if (name === undefined || name === '' || typeof written !== 'string') {
      const text = (isScalar(pair.key) ? pair.key.source : undefined) ?? name;
      this.error(pair.key, path, `group names are non-empty strings${text ? ` (quote '${text}' to use it as one)` : ''}`);
      return undefined;
    }
    return name;
  }

  group(name: string, written: unknown, path: string): void {
    addGroup(this.raw, name);
    const node = this.source.node(written);
    if (isNull(node)) return;
    if (!isMap(node)) return this.error(node, path, `group '${name}' must be a mapping with hosts, vars or children`);
    for (const pair of this.source.pairs(node)) {
      const key = keyOf(pair);
      const at = `${path}.${key ?? '?'}`;
      if (key === 'hosts') this.hosts(name, pair.value, at);
      else if (key === 'vars') this.groupVars(name, pair.value, at);
      else if (key === 'children') this.children(name, pair.value, at);
      else if (key === undefined) this.error(pair.key ?? pair.value, at, `group '${name}' has a key that is not a name (expected ${GROUP_KEYS.join(', ')})`);
      else this.error(pair.key, at, `unknown key '${key}' in group '${name}' (expected ${GROUP_KEYS.join(', ')})`);
    }
  }

  private hosts(group: string, written: unknown, path: string): void {
    const node = this.source.node(written);
    if (isNull(node)) return;
    // Ansible takes `hosts: name` as `hosts: {name: }`.
    if (isScalar(node) && typeof node.value === 'string') return this.host(group, node.value, node, null, path);
    if (!isMap(node)) return this.error(node, path, 'hosts must be a mapping of host names to their variables');
    for (const pair of this.source.pairs(node)) {
      const entry = keyOf(pair);
      if (entry === undefined || entry === '' || (isScalar(pair.key) && typeof pair.key.value !== 'string')) {
        this.error(pair.key, path, 'host names are non-empty strings (quote a number)');
        continue;
      }
      this.host(group, entry, pair.key, pair.value, `${path}.${entry}`);
    }
  }

  private host(group: string, entry: string, keyNode: unknown, varsNode: unknown, path: string): void {
    let expanded: { hosts: string[]; port?: number };
    try {
      expanded = expandHostPattern(entry);
    } catch (e) {
      if (e instanceof HostRangeError) return this.error(keyNode, path, e.message);
      throw e;
    }
    const vars = this.vars(varsNode, path);
    for (const host of expanded.hosts) {
      addHost(this.raw, host, group, expanded.port);
      for (const [key, value] of vars) setHostVar(this.raw, host, key, value);
    }
  }

  private children(group: string, written: unknown, path: string): void {
    const node = this.source.node(written);
    if (isNull(node)) return;
    if (isScalar(node) && typeof node.value === 'string') {
      addChild(this.raw, group, node.value);
      return;
    }
    if (!isMap(node)) return this.error(node, path, 'children must be a mapping of group names');
    for (const pair of this.source.pairs(node)) {
      const child = this.groupName(pair, path);
      if (child === undefined) continue;
      if (child === 'all') {
        this.error(pair.key, path, '`all` cannot be a child group');
        continue;
      }
      this.group(child, pair.value, `${path}.${child}`);
      addChild(this.raw, group, child);
    }
  }

  private groupVars(group: string, node: unknown, path: string): void {
    for (const [key, value] of this.vars(node, path)) setGroupVar(this.raw, group, key, value);
  }

  /** A vars mapping to plain values, vault values decrypted, connection values checked where they are written. */
  private vars(written: unknown, path: string): [string, unknown][] {
    const node = this.source.node(written);
    if (isNull(node)) return [];
    if (!isMap(node)) {
      this.error(node, path, 'variables must be a mapping');
      return [];
    }
    const vars: [string, unknown][] = [];
    for (const pair of this.source.pairs(node)) {
      const name = keyOf(pair);
      if (name === undefined) continue;
      const report = (message: string): void => this.error(pair.value ?? pair.key, `${path}.${name}`, message);
      vars.push([name, revealValue(name, this.source.value(pair.value), this.ctx, report)]);
    }
    return vars;
  }

  private error(node: unknown, path: string, message: string): void {
    this.ctx.diagnostics.push(this.source.at(node, path, message));
  }
}

function keyOf(pair: Pair): string | undefined {
  const key = isScalar(pair.key) ? pair.key.value : pair.key;
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'boolean') return String(key);
  return undefined;
}

function isNull(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}
