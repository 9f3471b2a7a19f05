import type { CatalogEntry } from './manifest.js';

/** What is known of one kind and source host in a catalog: how many backups, the newest good ones. */
export interface KindHostFreshness {
  kind: string;
  host: string;
  /** Backups listed (readable manifests), verified or not. */
  count: number;
  /** The newest verified backup (the one `latest` restores). */
  newestVerified?: CatalogEntry;
  /** The newest backup that passed a restore test (verify-backup). */
  newestTested?: CatalogEntry;
}

/**
 * One summary per kind and source host, in the catalog's order of first appearance. "Newest" is
 * by id, as `latest` chooses (ids are run ids: a sort is by time); a backup counts as restore
 * tested when its restore-test record was read and names it (catalog/restore-test.ts).
 */
export function freshnessOf(entries: readonly CatalogEntry[]): KindHostFreshness[] {
  const byPair = new Map<string, KindHostFreshness>();
  for (const entry of [...entries].sort((a, b) => a.id.localeCompare(b.id))) {
    const key = `${entry.kind}/${entry.host}`;
    const summary = byPair.get(key) ?? { kind: entry.kind, host: entry.host, count: 0 };
    summary.count++;
    if (entry.verified) summary.newestVerified = entry;
    if (entry.verified && entry.restore_test) summary.newestTested = entry;
    byPair.set(key, summary);
  }
  return [...byPair.values()];
}

/** The backup's `created` in milliseconds since the epoch, or undefined when it is not a time. */
export function createdAt(entry: Pick<CatalogEntry, 'created'>): number | undefined {
  const time = Date.parse(entry.created);
  return Number.isNaN(time) ? undefined : time;
}

/** Bytes of every file of a backup, as its manifest lists them. */
export function backupSize(entry: Pick<CatalogEntry, 'files'>): number {
  return entry.files.reduce((sum, f) => sum + f.size, 0);
}
