import type { CatalogEntry } from '../catalog/manifest.js';
import type { Catalog, CatalogProblem } from '../catalog/read.js';

/** One storage host's catalog, or why it could not be read. */
export interface StorageListing {
  storage: string;
  root: string;
  catalog?: Catalog;
  /** Why the catalog could not be read (the host answered, the listing failed). */
  error?: string;
  /** The off-site copy in Swift (`storage` is then `swift:<container>`), read through the storage host `via`. */
  offsite?: { via: string };
}

/** `storage` or `offsite`: which copy a listing is. */
export const locationOfListing = (l: Pick<StorageListing, 'offsite'>): 'storage' | 'offsite' => (l.offsite ? 'offsite' : 'storage');

/** `--kind` and `--host`: which backups to show. */
export interface BackupFilter {
  kind?: string;
  host?: string;
}

/** The entries and problems the filter selects; a problem is placed by its folder's path. */
export function filterCatalog(catalog: Catalog, root: string, filter: BackupFilter): Catalog {
  const wanted = (kind: string | undefined, host: string | undefined): boolean =>
    (filter.kind === undefined || kind === filter.kind) && (filter.host === undefined || host === filter.host);
  const placed = (p: CatalogProblem): string[] => p.dir.slice(root.replace(/\/+$/, '').length + 1).split('/');
  return {
    entries: catalog.entries.filter((e) => wanted(e.kind, e.host)),
    problems: catalog.problems.filter((p) => wanted(placed(p)[0], placed(p)[1])),
  };
}

const COLUMNS = ['ID', 'KIND', 'HOST', 'CREATED', 'SIZE', 'FILES', 'VERIFIED', 'ENCRYPTED', 'RESTORE TESTED', 'RUNBOOK'] as const;

/** One table per storage host (oldest first, as the catalog sorts), then its unreadable manifests. */
export function backupsTable(listings: readonly StorageListing[]): string[] {
  return listings.flatMap((l, i) => [...(i > 0 ? [''] : []), ...listingLines(l)]);
}

function listingLines(listing: StorageListing): string[] {
  const title = listing.offsite ? `${listing.storage} (off-site copy, read through ${listing.offsite.via})` : `${listing.storage}:${listing.root}`;
  if (listing.error !== undefined) return [`${title}: ${listing.error}`];
  const { entries, problems } = listing.catalog ?? { entries: [], problems: [] };
  const lines = entries.length === 0 ? [`${title}: no backups`] : [title, ...table(entries.map(row))];
  if (problems.length > 0) lines.push(`problems (${problems.length}): these folders' manifests cannot be read, so they are neither listed nor restored`, ...problems.map((p) => `  ${p.dir}: ${p.problem}`));
  return lines;
}

function row(e: CatalogEntry): string[] {
  const size = e.files.reduce((sum, f) => sum + f.size, 0);
  return [e.id, e.kind, e.host, shortTime(e.created), formatSize(size), String(e.files.length), e.verified ? 'yes' : 'no', encryptedCell(e), e.restore_test ? shortTime(e.restore_test.tested_at) : 'never', `${e.run?.runbook ?? '?'}@${e.run?.version ?? '?'}`];
}

/** `age (2)`: encrypted with age to 2 recipients; `no` for a backup stored as plaintext. */
function encryptedCell(e: CatalogEntry): string {
  return e.encryption ? `${e.encryption.method} (${e.encryption.recipients.length})` : 'no';
}

/** Columns padded to their widest cell; the last one is not padded. */
function table(rows: string[][]): string[] {
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [line(COLUMNS), ...rows.map(line)];
}

/** `2026-11-20 02:00:00Z`: the manifest's ISO time, seconds kept, in UTC like the ids. */
export function shortTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** `512 B`, `1.5 KiB`, `23.4 MiB`, `1.2 GiB`. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `--json`: every storage host (and the off-site copy, `location: offsite`) with its backups (and their total size) and problems. */
export function backupsJson(listings: readonly StorageListing[], unreachable: ReadonlyArray<{ host: string; stage: string; message: string }>): unknown {
  return {
    storage: listings.map((l) => ({
      host: l.storage,
      root: l.root,
      location: locationOfListing(l),
      ...(l.error === undefined ? {} : { error: l.error }),
      // encryption null for a backup taken before encryption existed too: every backup has the field.
      backups: (l.catalog?.entries ?? []).map((e) => ({ ...e, encryption: e.encryption ?? null, size: e.files.reduce((sum, f) => sum + f.size, 0) })),
      problems: l.catalog?.problems ?? [],
    })),
    unreachable,
  };
}
