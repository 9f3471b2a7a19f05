import { selectHosts } from '../inventory/pattern.js';
import type { Host, Inventory } from '../inventory/types.js';
import { isRecord } from '../runbook/raw.js';
import { groupsRead } from './reached.js';

/** What `runbook exec` knows before the runbook is validated. */
export interface LikelyHostsOptions {
  /** `--limit` pattern. */
  limit?: string;
  /** `--start-at` step id: earlier steps run on no host. */
  startAt?: string;
}

/**
 * The hosts a run of this runbook will most likely need, from its YAML as parsed but not yet
 * validated: the same rules as the plan (a step's `hosts` or the runbook's or `all`, `--limit`,
 * `run_once`, `--start-at`), without any of its checks. For opening connections while the
 * runbook is validated; the plan decides. Anything unexpected gives no host at all.
 */
export function likelyHosts(raw: unknown, inventory: Inventory, options: LikelyHostsOptions = {}): Host[] {
  try {
    const steps = stepsToRun(raw, options.startAt);
    if (!isRecord(raw) || !steps) return [];
    const runbookHosts = typeof raw.hosts === 'string' ? raw.hosts : 'all';
    const limit = options.limit === undefined ? undefined : new Set(selectHosts(inventory, options.limit));
    const used = new Set<Host>();
    for (const step of steps) {
      let hosts = selectHosts(inventory, typeof step.hosts === 'string' ? step.hosts : runbookHosts);
      if (limit) hosts = hosts.filter((h) => limit.has(h));
      if (step.run_once === true) hosts = hosts.slice(0, 1);
      for (const h of hosts) used.add(h);
    }
    return inventory.hosts.filter((h) => used.has(h));
  } catch {
    // An unknown host or group, say: the plan reports it properly.
    return [];
  }
}

/**
 * The hosts the modules of these steps likely reach (reached.ts has the plan's rule), for
 * connecting them while the runbook is validated: a field's host name as written, or the hosts of
 * the groups its template reads (through vars). A template that reads no group gives none here:
 * the plan decides whether it stands for every host. `fields` are a module's `reaches` keys.
 */
export function likelyReachedHosts(raw: unknown, inventory: Inventory, fields: (module: string) => readonly string[], startAt?: string): Host[] {
  const steps = stepsToRun(raw, startAt);
  if (!isRecord(raw) || !steps) return [];
  const vars = isRecord(raw.vars) ? raw.vars : {};
  const reached = new Set<Host>();
  for (const step of steps) {
    for (const [module, args] of Object.entries(step)) {
      if (!isRecord(args)) continue;
      for (const field of fields(module)) {
        const template = args[field];
        if (typeof template !== 'string') continue;
        for (const host of hostsNamedBy(template, vars, inventory)) reached.add(host);
      }
    }
  }
  return inventory.hosts.filter((h) => reached.has(h));
}

function hostsNamedBy(template: string, vars: Record<string, unknown>, inventory: Inventory): Host[] {
  if (!template.includes('{{')) return inventory.hosts.filter((h) => h.name === template.trim());
  const groups = groupsRead(template, vars, new Set());
  if (groups === 'any') return [];
  return inventory.hosts.filter((h) => h.groups.some((g) => groups.has(g)));
}

/** The raw steps from `startAt` on; undefined when the runbook or the step cannot be read. */
function stepsToRun(raw: unknown, startAt: string | undefined): Record<string, unknown>[] | undefined {
  if (!isRecord(raw) || !Array.isArray(raw.steps)) return undefined;
  const steps = raw.steps.filter(isRecord);
  const start = startAt === undefined ? 0 : steps.findIndex((s) => s.id === startAt);
  return start < 0 ? undefined : steps.slice(start);
}
