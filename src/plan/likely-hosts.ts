import { selectHosts } from '../inventory/pattern.js';
import type { Host, Inventory } from '../inventory/types.js';
import { isRecord } from '../runbook/raw.js';

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
    if (!isRecord(raw) || !Array.isArray(raw.steps)) return [];
    const runbookHosts = typeof raw.hosts === 'string' ? raw.hosts : 'all';
    const limit = options.limit === undefined ? undefined : new Set(selectHosts(inventory, options.limit));
    const steps = raw.steps.filter(isRecord);
    const start = options.startAt === undefined ? 0 : steps.findIndex((s) => s.id === options.startAt);
    if (start < 0) return [];
    const used = new Set<Host>();
    for (const step of steps.slice(start)) {
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
