/** A host pattern's terms by kind (Ansible's comma form: `a,b,&c,!d`). */
interface Terms {
  include: Set<string>;
  intersect: Set<string>;
  exclude: Set<string>;
}

function terms(pattern: string): Terms {
  const t: Terms = { include: new Set(), intersect: new Set(), exclude: new Set() };
  for (const raw of pattern.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    if (raw.startsWith('!')) t.exclude.add(raw.slice(1));
    else if (raw.startsWith('&')) t.intersect.add(raw.slice(1));
    else t.include.add(raw === '*' ? 'all' : raw);
  }
  return t;
}

/**
 * Whether a pattern may reach hosts the old one did not. Without an inventory a group's members
 * are unknown, so any included name that is new counts (`controller` -> `compute` widens too),
 * and so does a dropped exclusion or intersection. Only a change that removes names is narrowing.
 */
export function hostsWidened(oldPattern: string, newPattern: string): boolean {
  const a = terms(oldPattern);
  const b = terms(newPattern);
  const gained = a.include.has('all') ? false : [...b.include].some((name) => !a.include.has(name));
  const lostExclusion = [...a.exclude].some((name) => !b.exclude.has(name));
  const lostIntersection = [...a.intersect].some((name) => !b.intersect.has(name));
  return gained || lostExclusion || lostIntersection;
}
