import type { RestoreTest } from './restore-test.js';

/**
 * The manifest that makes a backup self-describing (docs/backups.md): what it holds, from which
 * host, when, by which run, and every file with its size and sha256 as verified on the storage
 * node. A restore needs nothing but the catalog folder and these files.
 */
export const MANIFEST_FORMAT = 'runbook-backup/1';

export interface BackupFile {
  /** Relative to the backup's folder. */
  name: string;
  size: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  /** The id of the run that took it: sortable by time (`20261121-101500-ab12`). */
  id: string;
  /** `db` (database dumps) or `files` (state directories); other kinds are allowed. */
  kind: string;
  /** Inventory name of the host the data came from. */
  host: string;
  /** ISO 8601, when the backup was taken. */
  created: string;
  run: { id: string; runbook: string; version: string };
  /** A digest of the source data as it was read, so an unchanged source is not backed up twice. */
  source_digest: string;
  /** What the backup holds, in the runbook's words (databases, paths, excludes). */
  contents: Record<string, unknown>;
  /** The id of a backup (same kind and host) this one needs in order to be restored, if any. */
  depends_on: string | null;
  files: BackupFile[];
  /** True once every file's sha256 on the storage node equalled the one taken at the source. */
  verified: boolean;
  verified_at: string | null;
}

/** A manifest as found in the catalog, with the folder it was read from. */
export interface CatalogEntry extends BackupManifest {
  dir: string;
  /** The last passed restore test (`restore-test.json` beside the manifest), if any. */
  restore_test: RestoreTest | null;
}

export type ManifestParse = { ok: true; manifest: BackupManifest } | { ok: false; problem: string };

/** Reads a manifest's JSON text, refusing anything that is not a whole, known manifest. */
export function parseManifest(text: string): ManifestParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not JSON: ${(error as Error).message}` };
  }
  if (!isObject(value)) return { ok: false, problem: 'not a JSON object' };
  if (value.format !== MANIFEST_FORMAT) return { ok: false, problem: `unknown format ${JSON.stringify(value.format)} (expected ${MANIFEST_FORMAT})` };
  for (const key of ['id', 'kind', 'host', 'created', 'source_digest'] as const) {
    if (typeof value[key] !== 'string') return { ok: false, problem: `'${key}' is missing or not a string` };
  }
  if (!Array.isArray(value.files) || !value.files.every(isBackupFile)) return { ok: false, problem: "'files' must list { name, size, sha256 }" };
  if (typeof value.verified !== 'boolean') return { ok: false, problem: "'verified' must be true or false" };
  return { ok: true, manifest: value as unknown as BackupManifest };
}

function isBackupFile(value: unknown): value is BackupFile {
  return isObject(value) && typeof value.name === 'string' && typeof value.size === 'number' && typeof value.sha256 === 'string' && /^[0-9a-f]{64}$/.test(value.sha256);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
