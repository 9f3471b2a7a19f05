import type { Connection, ExecOptions } from '../connection/connection.js';
import { type ShellCommand, sh } from '../command/command.js';
import { MANIFEST_NAME, pathUnder } from './layout.js';
import { type CatalogEntry, parseManifest } from './manifest.js';
import { RESTORE_TEST_NAME, parseRestoreTest } from './restore-test.js';

/** A manifest that could not be read: shown by `runbook backups`, never restored from. */
export interface CatalogProblem {
  dir: string;
  problem: string;
  /** The backup its folder names, when the folder names are plain names. */
  folder?: { kind: string; host: string; id: string };
}

export interface Catalog {
  entries: CatalogEntry[];
  problems: CatalogProblem[];
}

const SEPARATOR = '\u001e';
/** Between a manifest and the backup's restore-test record, when it has one. */
const RECORD_SEPARATOR = '\u001f';

/**
 * One command that prints every manifest under root (`<kind>/<host>/<id>/manifest.json`),
 * each preceded by its folder and a record separator, and followed by the backup's restore-test
 * record if there is one. Folders without a manifest are unfinished backups and are not listed.
 */
export function listManifestsCommand(root: string): ShellCommand {
  const each = sh`d=$(dirname "$m"); printf '%s%s\\n' ${SEPARATOR} "$d"; cat "$m"; `;
  const record = sh`if [ -f "$d"/${RESTORE_TEST_NAME} ]; then printf '%s' ${RECORD_SEPARATOR}; cat "$d"/${RESTORE_TEST_NAME}; fi`;
  return sh`[ -d ${root} ] || exit 0; cd ${root} && for m in */*/*/${MANIFEST_NAME}; do [ -f "$m" ] || continue; ${each}${record}; done`;
}

/**
 * Parses the output of {@link listManifestsCommand}; entries sorted oldest first. A folder whose
 * manifest does not validate, or does not name the folder it is in, is a problem: listed, never
 * read or restored.
 */
export function parseCatalog(root: string, stdout: string): Catalog {
  const entries: CatalogEntry[] = [];
  const problems: CatalogProblem[] = [];
  for (const record of stdout.split(SEPARATOR).slice(1)) {
    const newline = record.indexOf('\n');
    const relative = record.slice(0, newline);
    const [kind = '', host = '', id = '', ...deeper] = relative.split('/');
    const placed = pathUnder(root, kind, host, id);
    if (!placed.ok || deeper.length > 0) {
      // Escaped: a folder name may hold anything, and this text reaches a terminal.
      problems.push({ dir: `${root.replace(/\/+$/, '')}/${JSON.stringify(relative).slice(1, -1)}`, problem: placed.ok ? 'not a <kind>/<host>/<id> folder' : placed.problem });
      continue;
    }
    const dir = placed.path;
    const folder = { kind, host, id };
    const [manifestText = '', restoreTest] = record.slice(newline + 1).split(RECORD_SEPARATOR);
    const parsed = parseManifest(manifestText);
    if (!parsed.ok) {
      problems.push({ dir, problem: parsed.problem, folder });
      continue;
    }
    const { manifest } = parsed;
    if (manifest.kind !== kind || manifest.host !== host || manifest.id !== id) {
      problems.push({ dir, problem: `manifest says ${manifest.kind}/${manifest.host}/${manifest.id}, folder says ${relative}`, folder });
      continue;
    }
    entries.push({ ...manifest, dir, restore_test: parseRestoreTest(restoreTest, manifest.id) });
  }
  entries.sort((a, b) => a.id.localeCompare(b.id));
  return { entries, problems };
}

/** Reads the catalog of one storage host. A non-zero exit (unreadable root) throws. */
export async function readCatalog(connection: Connection, root: string, options: Pick<ExecOptions, 'become' | 'signal' | 'timeoutMs'> = {}): Promise<Catalog> {
  const result = await connection.exec(listManifestsCommand(root).text, options);
  if (result.exitCode !== 0) throw new Error(`cannot read the catalog ${root} on ${connection.host}: ${result.stderr.trim() || `exit code ${result.exitCode}`}`);
  return parseCatalog(root, result.stdout);
}

/** The newest verified backup of a kind and host, or the one with the given id. */
export function selectBackup(catalog: Catalog, query: { kind: string; host: string; id: string }): CatalogEntry | undefined {
  const candidates = catalog.entries.filter((e) => e.kind === query.kind && e.host === query.host && e.verified);
  if (query.id === 'latest') return candidates.at(-1);
  return candidates.find((e) => e.id === query.id);
}

/**
 * The folder a query would have selected had its manifest passed: the one of that id, or for
 * `latest` the newest problem folder of the kind and host when it is newer than the newest
 * verified backup. `latest` then fails instead of silently restoring an older backup than the
 * newest one taken: that choice is the operator's, by id.
 */
export function refusedBackup(catalog: Catalog, query: { kind: string; host: string; id: string }): CatalogProblem | undefined {
  const newest = query.id === 'latest' ? selectBackup(catalog, query)?.id ?? '' : undefined;
  const refused = catalog.problems.filter(({ folder }) =>
    folder?.kind === query.kind && folder.host === query.host && (newest === undefined ? folder.id === query.id : folder.id.localeCompare(newest) > 0));
  return refused.sort((a, b) => (a.folder?.id ?? '').localeCompare(b.folder?.id ?? '')).at(-1);
}
