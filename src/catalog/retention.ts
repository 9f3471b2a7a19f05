import type { CatalogEntry } from './manifest.js';
import { formatDuration } from '../runbook/duration.js';
import { type Period, periodKey } from './periods.js';

/**
 * A retention policy, applied to each kind and host apart (restic's and borg's `forget`).
 * An absent rule keeps nothing by itself; `maxAgeMs` limits what the other rules may keep.
 */
export interface RetentionPolicy {
  /** Keep the newest N. */
  keepLast?: number;
  /** Keep one backup of each of the last N days (ISO weeks, months) that have one, UTC. */
  daily?: number;
  weekly?: number;
  monthly?: number;
  /** A backup older than this is not kept by the rules above (protections still apply). */
  maxAgeMs?: number;
}

/** What retention does with one backup, and why, in words an operator reads in a plan. */
export interface RetentionDecision {
  entry: CatalogEntry;
  keep: boolean;
  /** `kept: newest 3; daily 2026-11-20` or `deleted: older than max_age 90d and ...`. */
  reason: string;
}

const PERIODS: readonly Period[] = ['daily', 'weekly', 'monthly'];

/** Whether the policy says anything at all: an empty policy would delete all but the protected. */
export function hasRule(policy: RetentionPolicy): boolean {
  return [policy.keepLast, policy.daily, policy.weekly, policy.monthly, policy.maxAgeMs].some((n) => n !== undefined);
}

/**
 * Decides, for every backup of the catalog, whether retention keeps it. Pure: `now` is the
 * caller's. Per kind and host, newest first:
 *
 * 1. the generation rules (keep_last, daily, weekly, monthly) over the backups not older than
 *    max_age; with max_age alone, everything younger than it is kept;
 * 2. the newest verified backup is kept whatever its age, because it is the one a restore of
 *    `latest` uses;
 * 3. a backup whose `created` is not a time is kept: its age cannot be known;
 * 4. whatever a kept backup depends on is kept, transitively, or the kept one could not be
 *    restored.
 */
export function decideRetention(entries: readonly CatalogEntry[], policy: RetentionPolicy, now: Date): RetentionDecision[] {
  return groups(entries).flatMap((group) => decideGroup(group, policy, now));
}

/** Decisions for one kind and host, newest first. */
function decideGroup(group: CatalogEntry[], policy: RetentionPolicy, now: Date): RetentionDecision[] {
  const sorted = newestFirst(group);
  const reasons = new Map<CatalogEntry, string[]>(sorted.map((e) => [e, []]));
  const add = (entry: CatalogEntry, reason: string): void => void reasons.get(entry)?.push(reason);
  keptByRules(sorted.filter((e) => youngEnough(e, policy, now)), policy, add);
  const verified = sorted.find((e) => e.verified);
  if (verified) add(verified, `newest verified ${verified.kind} backup of ${verified.host}`);
  for (const e of sorted) if (Number.isNaN(timeOf(e))) add(e, `'created' (${e.created}) is not a time, so its age is unknown`);
  keepDependencies(sorted, reasons);
  return sorted.map((entry) => {
    const why = reasons.get(entry) ?? [];
    return why.length > 0 ? { entry, keep: true, reason: `kept: ${why.join('; ')}` } : { entry, keep: false, reason: deletedReason(entry, policy, now) };
  });
}

/** The generation rules, over the backups that max_age lets them keep (newest first). */
function keptByRules(candidates: CatalogEntry[], policy: RetentionPolicy, add: (e: CatalogEntry, reason: string) => void): void {
  const generations = [policy.keepLast, policy.daily, policy.weekly, policy.monthly].some((n) => n !== undefined);
  if (!generations) {
    // max_age alone: "delete what is older than 90 days" keeps everything younger.
    if (policy.maxAgeMs !== undefined) for (const e of candidates) add(e, `within max_age ${formatDuration(policy.maxAgeMs)}`);
    return;
  }
  if (policy.keepLast) for (const e of candidates.slice(0, policy.keepLast)) add(e, `newest ${policy.keepLast}`);
  for (const period of PERIODS) {
    const n = policy[period];
    if (n) for (const [key, e] of newestPerPeriod(candidates, period, n)) add(e, `${period} ${key}`);
  }
}

/**
 * One backup for each of the newest `n` periods that have one. **Decision:** within a period
 * the newest verified backup is chosen, and the newest of all only when none is verified: a
 * generation is worth keeping only if it can be restored.
 */
export function newestPerPeriod(newest: readonly CatalogEntry[], period: Period, n: number): Array<[string, CatalogEntry]> {
  const byPeriod = new Map<string, CatalogEntry[]>();
  for (const e of newest) {
    const key = periodKey(period, new Date(timeOf(e)));
    const list = byPeriod.get(key) ?? [];
    if (list.length === 0 && byPeriod.size >= n) break;
    list.push(e);
    byPeriod.set(key, list);
  }
  return [...byPeriod].map(([key, list]) => [key, list.find((e) => e.verified) ?? (list[0] as CatalogEntry)]);
}

/** Keeps what kept backups depend on, following depends_on chains through this kind and host. */
function keepDependencies(sorted: CatalogEntry[], reasons: Map<CatalogEntry, string[]>): void {
  const byId = new Map(sorted.map((e) => [e.id, e]));
  const work = sorted.filter((e) => (reasons.get(e) ?? []).length > 0);
  for (let kept = work.pop(); kept; kept = work.pop()) {
    const needed = kept.depends_on === null ? undefined : byId.get(kept.depends_on);
    if (!needed) continue;
    const why = reasons.get(needed) ?? [];
    const reason = `backup ${kept.id} depends on it`;
    if (why.includes(reason)) continue;
    if (why.length === 0) work.push(needed);
    why.push(reason);
    reasons.set(needed, why);
  }
}

function deletedReason(entry: CatalogEntry, policy: RetentionPolicy, now: Date): string {
  const rules = ruleWords(policy);
  if (!youngEnough(entry, policy, now)) {
    return `deleted: older than max_age ${formatDuration(policy.maxAgeMs ?? 0)}${rules ? ` and not kept by ${rules}` : ''}`;
  }
  return `deleted: not kept by ${rules || 'any rule'}`;
}

/** `daily 7/weekly 4/keep_last 3`: the generation rules that keep anything (a 0 keeps nothing, so it is left out). */
function ruleWords(policy: RetentionPolicy): string {
  const rules: Array<[string, number | undefined]> = [['daily', policy.daily], ['weekly', policy.weekly], ['monthly', policy.monthly], ['keep_last', policy.keepLast]];
  return rules.filter(([, n]) => n !== undefined && n > 0).map(([key, n]) => `${key} ${n}`).join('/');
}

function youngEnough(entry: CatalogEntry, policy: RetentionPolicy, now: Date): boolean {
  const time = timeOf(entry);
  if (Number.isNaN(time)) return false;
  return policy.maxAgeMs === undefined || now.getTime() - time <= policy.maxAgeMs;
}

const timeOf = (entry: CatalogEntry): number => Date.parse(entry.created);

/** By time, then by id (run ids sort by time too); a backup without a time sorts last. */
function newestFirst(entries: CatalogEntry[]): CatalogEntry[] {
  const key = (e: CatalogEntry): number => (Number.isNaN(timeOf(e)) ? -Infinity : timeOf(e));
  return [...entries].sort((a, b) => key(b) - key(a) || b.id.localeCompare(a.id));
}

/** The catalog split by kind and host, in first-seen order. */
function groups(entries: readonly CatalogEntry[]): CatalogEntry[][] {
  const byGroup = new Map<string, CatalogEntry[]>();
  for (const e of entries) {
    const key = `${e.kind}/${e.host}`;
    byGroup.set(key, [...(byGroup.get(key) ?? []), e]);
  }
  return [...byGroup.values()];
}

