import { AGE_SUFFIX, type Encryption, type PlainDigest, plainName } from './encryption.js';
import { MANIFEST_NAME } from './layout.js';
import type { RestoreTest } from './restore-test.js';
import { knownKeys, parseUntrustedJson } from './untrusted-json.js';

/**
 * The manifest that makes a backup self-describing (docs/backups.md): what it holds, from which
 * host, when, by which run, and every file with its size and sha256 as verified on the storage
 * node. A restore needs nothing but the catalog folder and these files.
 */
export const MANIFEST_FORMAT = 'runbook-backup/1';

export interface BackupFile {
  /** A plain file name in the backup's folder (no '/', not hidden: schemas/manifest.schema.json). */
  name: string;
  /** Bytes. */
  size: number;
  sha256: string;
  /** An encrypted file (name `<plain name>.age`): its plaintext's size and sha256; size and sha256 above are the ciphertext's. */
  plain?: PlainDigest;
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
  /** How the files were encrypted and for whom; absent or null: not encrypted (backups taken before encryption). */
  encryption?: Encryption | null;
}

/** A manifest as found in the catalog, with the folder it was read from. */
export interface CatalogEntry extends BackupManifest {
  dir: string;
  /** The last passed restore test (`restore-test.json` beside the manifest), if any. */
  restore_test: RestoreTest | null;
}

export type ManifestParse = { ok: true; manifest: BackupManifest } | { ok: false; problem: string };

const MANIFEST_KEYS = ['format', 'id', 'kind', 'host', 'created', 'run', 'source_digest', 'contents', 'depends_on', 'files', 'verified', 'verified_at', 'encryption'] as const satisfies readonly (keyof BackupManifest)[];

/**
 * Reads a manifest's JSON text, refusing anything that schemas/manifest.schema.json refuses (a
 * file name that is not a plain name, a size that is not a byte count, a kind, host or id that
 * could not name a folder) and a file listed twice. The problem names the field and its value.
 * A manifest is untrusted input: nothing is read or written by one that does not pass.
 */
export function parseManifest(text: string): ManifestParse {
  const parsed = parseUntrustedJson(MANIFEST_NAME, text, 'manifest');
  // ManifestParse keeps its own shape while the catalog modules (src/modules/catalog) read `.problem`.
  if (!parsed.ok) return { ok: false, problem: parsed.error };
  const manifest = knownKeys<BackupManifest>(parsed.value, MANIFEST_KEYS);
  const twice = listedTwice(manifest.files);
  if (twice >= 0) return { ok: false, problem: `${MANIFEST_NAME}: 'files[${twice}].name' ${JSON.stringify(manifest.files[twice]?.name)} is listed twice` };
  const inconsistent = encryptionProblem(manifest);
  if (inconsistent) return { ok: false, problem: `${MANIFEST_NAME}: ${inconsistent}` };
  return { ok: true, manifest };
}

/** Names a restore would write the decrypted file under: they are the catalog's own in a backup folder. */
const RESERVED_PLAIN_NAMES = new Set([MANIFEST_NAME, 'restore-test.json']);

/**
 * What the schema cannot say of two fields at once: an encrypted backup's files are each
 * `<name>.age` with the plaintext's digest (the name a restore writes is the one without
 * `.age`), and an unencrypted one's carry no plaintext digest (which would make a restore
 * decrypt what is not encrypted).
 */
function encryptionProblem(manifest: BackupManifest): string | undefined {
  const encrypted = manifest.encryption !== undefined && manifest.encryption !== null;
  for (const [index, file] of manifest.files.entries()) {
    if (!encrypted && file.plain) return `'files[${index}].plain' is set, but the backup is not encrypted ('encryption' is ${manifest.encryption === null ? 'null' : 'absent'})`;
    if (!encrypted) continue;
    if (!file.plain) return `'files[${index}]' (${JSON.stringify(file.name)}) has no 'plain' size and sha256, but the backup is encrypted`;
    if (!file.name.endsWith(AGE_SUFFIX)) return `'files[${index}].name' ${JSON.stringify(file.name)} does not end in ${AGE_SUFFIX}, but the backup is encrypted`;
    if (RESERVED_PLAIN_NAMES.has(plainName(file.name))) return `'files[${index}].name' ${JSON.stringify(file.name)} would be restored as ${plainName(file.name)}, a name of the catalog's own`;
  }
  return undefined;
}

/** The index of the first file whose name an earlier one has, or -1. */
function listedTwice(files: readonly BackupFile[]): number {
  const seen = new Set<string>();
  return files.findIndex((f) => seen.size === seen.add(f.name).size);
}
