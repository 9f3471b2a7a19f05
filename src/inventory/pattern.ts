import { parseAddress } from './host-range.js';
import type { Host, Inventory } from './types.js';

/*
 * Ansible's host patterns (inventory/manager.py): comma lists (or `:` lists where that cannot be
 * an address), `&` intersections and `!` exclusions, globs (`*`, `?`, `[...]`), `~regex`, and
 * subscripts (`g[0]`, `g[-1]`, `g[1:3]`, `g[2:]`). One difference, on purpose: a name that
 * matches nothing is an error here, where Ansible warns and goes on with fewer hosts.
 */

/** A host pattern named hosts or groups the inventory does not have, or is malformed. */
export class HostPatternError extends Error {
  readonly unknown: readonly string[];
  constructor(pattern: string, unknown: readonly string[], problem?: string) {
    super(
      problem ??
        `unknown host or group ${unknown.map((u) => `'${u}'`).join(', ')} in pattern '${pattern}' (runbook refuses a name that matches nothing, where Ansible would only warn and run on fewer hosts)`,
    );
    this.name = 'HostPatternError';
    this.unknown = unknown;
  }
}

const SUBSCRIPTED = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/s;
const COLON_LIST = /(?:[^\s:[\]]|\[[^\]]*\])+/g;

/**
 * Ansible's split_host_pattern: `a,b` splits on commas; without a comma, `a:b:&c` splits on
 * colons unless the whole text is an address or a host range (`fe80::1`, `db[1:3]`).
 */
export function splitHostPattern(pattern: string): string[] {
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (parseAddress(pattern) !== undefined) parts = [pattern];
  else parts = pattern.match(COLON_LIST) ?? [];
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Ansible's order_patterns: plain terms, then `&` terms, then `!` terms; no plain term means `all`. */
function orderPatterns(terms: string[]): string[] {
  const plain = terms.filter((t) => !t.startsWith('!') && !t.startsWith('&'));
  const intersect = terms.filter((t) => t.startsWith('&'));
  const exclude = terms.filter((t) => t.startsWith('!'));
  return [...(plain.length > 0 ? plain : ['all']), ...intersect, ...exclude];
}

/**
 * The hosts a pattern selects, in Ansible's order (term by term, a group's hosts before its
 * children's): what `ansible --list-hosts` prints.
 * @throws HostPatternError naming every term that matches nothing.
 */
export function evaluatePattern(inventory: Inventory, pattern: string): Host[] {
  const byName = new Map(inventory.hosts.map((h) => [h.name, h]));
  const unknown: string[] = [];
  let selected: Host[] = [];
  for (const term of orderPatterns(splitHostPattern(pattern))) {
    if (byName.has(term)) {
      selected.push(byName.get(term) as Host);
      continue;
    }
    const matched = matchTerm(inventory, byName, term.replace(/^[&!]/, ''), pattern);
    if (matched === undefined) {
      unknown.push(term.replace(/^[&!]/, ''));
      continue;
    }
    const set = new Set(matched);
    if (term.startsWith('!')) selected = selected.filter((h) => !set.has(h));
    else if (term.startsWith('&')) selected = selected.filter((h) => set.has(h));
    else {
      const existing = new Set(selected.map((h) => h.name));
      selected.push(...matched.filter((h) => !existing.has(h.name)));
    }
  }
  if (unknown.length > 0) throw new HostPatternError(pattern, unknown);
  return [...new Set(selected)];
}

/** One term without its `&`/`!`: the hosts it stands for, or undefined when it matches no group and no host. */
function matchTerm(inventory: Inventory, byName: Map<string, Host>, term: string, pattern: string): Host[] | undefined {
  const { expr, subscript } = splitSubscript(term);
  const matcher = compileMatcher(expr, pattern);
  const groups = [...inventory.groups.keys()].filter(matcher);
  const hosts = groups.flatMap((g) => groupHosts(inventory, g).flatMap((name) => byName.get(name) ?? []));
  if (groups.length === 0 || expr.startsWith('~') || /[.?*[]/.test(expr)) hosts.push(...inventory.hosts.filter((h) => matcher(h.name)));
  if (hosts.length === 0 && groups.length === 0 && expr !== 'all') return undefined;
  return applySubscript(hosts, subscript, term);
}

type Subscript = { start: number; end?: number };

function splitSubscript(term: string): { expr: string; subscript?: Subscript } {
  if (term.startsWith('~')) return { expr: term };
  const m = SUBSCRIPTED.exec(term);
  if (!m) return { expr: term };
  const expr = m[1] as string;
  if (m[2] !== undefined) return { expr, subscript: { start: Number(m[2]) } };
  return { expr, subscript: { start: Number(m[3]), end: m[5] === '' ? -1 : Number(m[5]) } };
}

/** Python's list indexing and slicing as Ansible applies them (`[x:y]` includes y; `[x:0]` is `[x]`, as in Ansible). */
function applySubscript(hosts: Host[], subscript: Subscript | undefined, term: string): Host[] {
  if (hosts.length === 0 || subscript === undefined) return hosts;
  const { start, end } = subscript;
  if (end) return hosts.slice(start, (end === -1 ? hosts.length - 1 : end) + 1);
  const index = start < 0 ? hosts.length + start : start;
  const host = hosts[index];
  if (host === undefined) throw new HostPatternError(term, [], `no hosts matched the subscripted pattern '${term}': the list has ${hosts.length} host(s), numbered from 0`);
  return [host];
}

/** fnmatch (case-sensitive, anchored) for plain terms and globs; a `~` term is a regular expression matched at the start. */
function compileMatcher(expr: string, pattern: string): (name: string) => boolean {
  let regex: RegExp;
  try {
    regex = expr.startsWith('~') ? new RegExp(`^(?:${expr.slice(1)})`) : new RegExp(`^${globToRegex(expr)}$`, 's');
  } catch {
    throw new HostPatternError(pattern, [], `invalid host pattern '${expr}' in '${pattern}': not a valid regular expression`);
  }
  return (name) => regex.test(name);
}

/** Python's fnmatch.translate. */
function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      else if (body.startsWith('^')) body = `\\${body}`;
      out += `[${body.replace(/\[/g, '\\[')}]`;
      i = j;
    } else out += c.replace(/[.+^${}()|\\/\]-]/g, '\\$&');
  }
  return out;
}

/**
 * A group's hosts in Ansible's order (Group.get_hosts): its own, then its children's, then
 * their children's, level by level, without repeats.
 */
export function groupHosts(inventory: Inventory, name: string): string[] {
  const ordered: string[] = [name];
  let level = [name];
  while (level.length > 0) {
    const next: string[] = [];
    for (const g of level) {
      for (const child of inventory.groups.get(g)?.children ?? []) {
        if (!ordered.includes(child)) {
          ordered.push(child);
          next.push(child);
        }
      }
    }
    level = next;
  }
  const hosts = ordered.flatMap((g) => inventory.groups.get(g)?.hosts ?? []);
  return [...new Set(hosts)];
}

/**
 * The hosts a pattern selects, in inventory order and without duplicates (the order steps run
 * their hosts in; Ansible lists them term by term instead).
 * @throws HostPatternError naming every unknown term.
 */
export function selectHosts(inventory: Inventory, pattern: string): Host[] {
  const chosen = new Set(evaluatePattern(inventory, pattern));
  return inventory.hosts.filter((h) => chosen.has(h));
}

/**
 * `--limit`: keeps the hosts of `hosts` that `limitPattern` selects. With `inventory`, names are
 * checked against the whole inventory (a host of it outside `hosts` is fine, a typo is not).
 * @throws HostPatternError naming every unknown term.
 */
export function limitHosts(hosts: readonly Host[], limitPattern: string, inventory?: Inventory): Host[] {
  const scope = inventory ?? inventoryOf(hosts);
  const allowed = new Set(evaluatePattern(scope, limitPattern).map((h) => h.name));
  return hosts.filter((h) => allowed.has(h.name));
}

/** A stand-in inventory of just these hosts, their groups flat (when no inventory is at hand). */
function inventoryOf(hosts: readonly Host[]): Inventory {
  const groups = new Map<string, { name: string; hosts: string[]; children: string[]; vars: Record<string, unknown> }>();
  const all = { name: 'all', hosts: hosts.map((h) => h.name), children: [] as string[], vars: {} };
  groups.set('all', all);
  for (const h of hosts) {
    for (const g of h.groups) {
      if (!groups.has(g)) groups.set(g, { name: g, hosts: [], children: [], vars: {} });
      groups.get(g)?.hosts.push(h.name);
    }
  }
  return { file: '', sha256: '', hosts: [...hosts], groups, knownHostsFile: '', hostKeyPolicy: 'strict' };
}
