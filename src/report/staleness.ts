import { type KindHostFreshness, createdAt, freshnessOf } from '../catalog/freshness.js';
import type { CatalogEntry } from '../catalog/manifest.js';
import { formatDuration } from '../runbook/duration.js';
import type { StorageListing } from './backups.js';

/** The backups that must exist: a kind and the source hosts it is taken from. */
export interface Expectation {
  kind: string;
  hosts: string[];
}

/** `--max-age` and `--max-untested-age`, in milliseconds. */
export interface FreshnessLimits {
  maxAge: number;
  maxUntestedAge?: number;
}

/** What `--check` found: one line per problem, and the kinds and hosts that passed. */
export interface StalenessReport {
  problems: string[];
  fresh: string[];
}

/**
 * `runbook backups --check`: every expected kind and source host, and every one the catalogs
 * hold, must have a verified backup younger than maxAge (its `created`), and with maxUntestedAge
 * a backup that passed a restore test younger than that; a refused manifest and a catalog that
 * could not be read are problems too. Kinds and hosts come in order (kind, then host). Backups of one kind and host on several storage hosts count
 * together: the newest wins.
 */
export function checkStaleness(listings: readonly StorageListing[], expected: readonly Expectation[], limits: FreshnessLimits, now: number): StalenessReport {
  const problems: string[] = [];
  for (const l of listings) if (l.error !== undefined) problems.push(`unreadable: ${l.offsite ? l.storage : `${l.storage}:${l.root}`}: ${l.error}`);
  const copies = listings.filter((l) => l.offsite);
  const merged = mergePairs(listings.filter((l) => !l.offsite).flatMap((l) => freshnessOf(l.catalog?.entries ?? [])));
  for (const e of expected) for (const host of e.hosts) if (!merged.has(`${e.kind}/${host}`)) merged.set(`${e.kind}/${host}`, { kind: e.kind, host, count: 0 });
  const fresh: string[] = [];
  const ordered = [...merged.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.host.localeCompare(b.host));
  for (const pair of ordered) {
    const found = [...pairProblems(pair, limits, now), ...copies.flatMap((l) => offsiteProblems(l, pair, limits, now))];
    if (found.length === 0) fresh.push(`${pair.kind}/${pair.host}`);
    problems.push(...found);
  }
  for (const l of listings) for (const p of l.catalog?.problems ?? []) problems.push(`refused: ${p.dir}: ${p.problem}`);
  return { problems, fresh };
}

function pairProblems(pair: KindHostFreshness, limits: FreshnessLimits, now: number): string[] {
  const what = `${pair.kind} backup of ${pair.host}`;
  if (!pair.newestVerified) {
    const unverified = pair.count > 0 ? ` (${pair.count} not verified)` : '';
    return [`missing: ${what}: no verified backup${unverified}`];
  }
  const problems = tooOld('stale', what, 'the newest verified backup', pair.newestVerified, '--max-age', limits.maxAge, now);
  if (limits.maxUntestedAge !== undefined) {
    if (!pair.newestTested) problems.push(`untested: ${what}: no backup passed a restore test (runbook exec verify-backup)`);
    else problems.push(...tooOld('untested', what, 'the newest restore-tested backup', pair.newestTested, '--max-untested-age', limits.maxUntestedAge, now));
  }
  return problems;
}

/**
 * With an off-site copy declared, each kind and host must also have a verified copy there no
 * older than --max-age: a copy-offsite that stopped running is a problem of its own.
 */
function offsiteProblems(listing: StorageListing, pair: KindHostFreshness, limits: FreshnessLimits, now: number): string[] {
  if (listing.error !== undefined) return [];
  const what = `${pair.kind} backup of ${pair.host}`;
  const copy = freshnessOf(listing.catalog?.entries ?? []).find((p) => p.kind === pair.kind && p.host === pair.host)?.newestVerified;
  if (!copy) return [`missing-offsite: ${what}: no copy in ${listing.storage} (runbook exec copy-offsite)`];
  return tooOld('stale-offsite', what, `the newest copy in ${listing.storage}`, copy, '--max-age', limits.maxAge, now);
}

/** Clocks a few minutes apart are normal; more is not. */
const FUTURE_TOLERANCE = 5 * 60_000;

function tooOld(word: string, what: string, which: string, entry: CatalogEntry, option: string, limit: number, now: number): string[] {
  const created = createdAt(entry);
  if (created === undefined) return [`${word}: ${what}: ${which}, ${entry.id}, has no creation time (${JSON.stringify(entry.created)})`];
  const age = now - created;
  // A creation time ahead of this clock would keep a backup fresh forever: clock skew or a forgery.
  if (age < -FUTURE_TOLERANCE) return [`${word}: ${what}: ${which}, ${entry.id}, was created ${ageText(-age)} in the future (${entry.created}): check the clocks`];
  return age > limit ? [`${word}: ${what}: ${which}, ${entry.id}, is ${ageText(age)} old, more than ${option} ${formatDuration(limit)}`] : [];
}

/** One summary per kind and host over several storage hosts: counts added, the newest of each kept. */
function mergePairs(pairs: readonly KindHostFreshness[]): Map<string, KindHostFreshness> {
  const merged = new Map<string, KindHostFreshness>();
  const newer = (a: CatalogEntry | undefined, b: CatalogEntry | undefined): CatalogEntry | undefined => (!a ? b : !b ? a : a.id.localeCompare(b.id) >= 0 ? a : b);
  for (const p of pairs) {
    const key = `${p.kind}/${p.host}`;
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, { ...p });
      continue;
    }
    seen.count += p.count;
    const verified = newer(seen.newestVerified, p.newestVerified);
    const tested = newer(seen.newestTested, p.newestTested);
    if (verified) seen.newestVerified = verified;
    if (tested) seen.newestTested = tested;
  }
  return merged;
}

/** `3d 4h`, `27h 5m` reads as `1d 3h 5m`; under a minute, seconds. */
export function ageText(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${Math.max(seconds, 0)}s`;
  const parts: Array<[number, string]> = [[Math.floor(seconds / 86_400), 'd'], [Math.floor((seconds % 86_400) / 3600), 'h'], [Math.floor((seconds % 3600) / 60), 'm']];
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join(' ');
}
