import { posix } from 'node:path';

/**
 * Where backups live on the storage node (docs/backups.md):
 *
 *     <root>/<kind>/<host>/<id>/manifest.json
 *     <root>/<kind>/<host>/<id>/<files...>
 *
 * `root` is the inventory variable `backup_root`. Ids are run ids, so a plain sort is by time.
 */
export const MANIFEST_NAME = 'manifest.json';

export function backupDir(root: string, kind: string, host: string, id: string): string {
  return posix.join(root, kind, host, id);
}

export function manifestPath(dir: string): string {
  return posix.join(dir, MANIFEST_NAME);
}

/** Kinds, hosts and ids become path segments: refuse anything that could leave the catalog. */
export function segmentProblem(what: string, value: string): string | undefined {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(value) ? undefined : `${what} '${value}' must be letters, digits, '.', '_' or '-'`;
}
