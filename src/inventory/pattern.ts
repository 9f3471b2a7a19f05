import type { Host, Inventory } from './types.js';

/** A host pattern named hosts or groups the inventory does not have. */
export class HostPatternError extends Error {
  readonly unknown: readonly string[];
  constructor(pattern: string, unknown: readonly string[]) {
    super(`unknown host or group ${unknown.map((u) => `'${u}'`).join(', ')} in pattern '${pattern}'`);
    this.name = 'HostPatternError';
    this.unknown = unknown;
  }
}

type Term = { kind: 'include' | 'intersect' | 'exclude'; name: string };

/** Splits `a,b,&c,!d` into terms (Ansible's comma form; `:` is not a separator, IPv6 needs it). */
function parseTerms(pattern: string): Term[] {
  return pattern
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => {
      if (t.startsWith('!')) return { kind: 'exclude', name: t.slice(1) };
      if (t.startsWith('&')) return { kind: 'intersect', name: t.slice(1) };
      return { kind: 'include', name: t };
    });
}

/** Hosts a single name stands for: `all`/`*`, a group (children included), a host, or a `*` glob. */
function resolveTerm(hosts: readonly Host[], groupNames: ReadonlySet<string>, name: string): Host[] | undefined {
  if (name === 'all' || name === '*') return [...hosts];
  if (groupNames.has(name)) return hosts.filter((h) => h.groups.includes(name));
  const exact = hosts.filter((h) => h.name === name);
  if (exact.length > 0) return exact;
  if (name.includes('*')) {
    const glob = new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const matched = hosts.filter((h) => glob.test(h.name) || h.groups.some((g) => glob.test(g)));
    return matched.length > 0 ? matched : undefined;
  }
  return undefined;
}

/** Applies pattern terms to a host list the way Ansible does: union, then `&` intersections, then `!` exclusions. */
function applyPattern(hosts: readonly Host[], groupNames: ReadonlySet<string>, pattern: string): Host[] {
  const terms = parseTerms(pattern);
  const unknown: string[] = [];
  const resolved = terms.map((t) => {
    const found = resolveTerm(hosts, groupNames, t.name);
    if (!found) unknown.push(t.name);
    return { ...t, hosts: new Set(found ?? []) };
  });
  if (unknown.length > 0) throw new HostPatternError(pattern, unknown);
  const includes = resolved.filter((t) => t.kind === 'include');
  // A pattern of only exclusions/intersections starts from every host, like `!db` meaning "all but db".
  let selected = includes.length > 0 ? hosts.filter((h) => includes.some((t) => t.hosts.has(h))) : [...hosts];
  for (const t of resolved.filter((r) => r.kind === 'intersect')) selected = selected.filter((h) => t.hosts.has(h));
  for (const t of resolved.filter((r) => r.kind === 'exclude')) selected = selected.filter((h) => !t.hosts.has(h));
  return selected;
}

/**
 * The hosts a pattern selects, in inventory order and without duplicates. Terms are host names,
 * group names, `all`, comma lists, `!x` exclusions and `&group` intersections.
 * @throws HostPatternError naming every unknown term.
 */
export function selectHosts(inventory: Inventory, pattern: string): Host[] {
  return applyPattern(inventory.hosts, new Set(inventory.groups.keys()), pattern);
}

/**
 * `--limit`: keeps the hosts of `hosts` that `limitPattern` selects. With `inventory`, names are
 * checked against the whole inventory (a host of it outside `hosts` is fine, a typo is not).
 * @throws HostPatternError naming every unknown term.
 */
export function limitHosts(hosts: readonly Host[], limitPattern: string, inventory?: Inventory): Host[] {
  if (inventory) {
    const allowed = new Set(selectHosts(inventory, limitPattern).map((h) => h.name));
    return hosts.filter((h) => allowed.has(h.name));
  }
  return applyPattern(hosts, new Set(hosts.flatMap((h) => h.groups)), limitPattern);
}
