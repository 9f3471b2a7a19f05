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

/** A path proven to stay under its root, or why it would not. */
export type PathUnder = { ok: true; path: string } | { ok: false; problem: string };

/**
 * `root` joined with `names`, each one folder or file name, proven to stay under root. Every
 * path the catalog builds from parts it did not make itself (manifest names, folder names, ids,
 * a runbook's dest) goes through here, so a caller cannot forget the check: a name is refused
 * when it is empty, `.` or `..`, or holds a `/` or a control character, and the joined path must
 * still start with root. The manifest's schema refuses such names first; this is the second wall.
 */
export function pathUnder(root: string, ...names: string[]): PathUnder {
  if (!posix.isAbsolute(root) || /[\u0000-\u001f\u007f]/.test(root)) return { ok: false, problem: `${JSON.stringify(root)} is not an absolute path` };
  const base = posix.normalize(root).replace(/(?<=.)\/+$/, '');
  for (const name of names) {
    const problem = nameProblem(name);
    if (problem) return { ok: false, problem: `${JSON.stringify(name)} ${problem}, so it cannot name a path under ${base}` };
  }
  const path = posix.join(base, ...names);
  // Unreachable with the names checked above; kept so that a gap in them cannot leave root.
  if (names.length > 0 && !path.startsWith(base === '/' ? '/' : `${base}/`)) return { ok: false, problem: `${path} is not under ${base}` };
  return { ok: true, path };
}

/** Several paths built with {@link pathUnder}, by role; or the first reason one of them is refused. */
export function allUnder<K extends string>(built: Record<K, PathUnder>): { ok: true; paths: Record<K, string> } | { ok: false; problem: string } {
  const paths: Partial<Record<K, string>> = {};
  for (const key of Object.keys(built) as K[]) {
    const one = built[key];
    if (!one.ok) return one;
    paths[key] = one.path;
  }
  return { ok: true, paths: paths as Record<K, string> };
}

function nameProblem(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return 'is not a name';
  if (name.includes('/')) return "holds a '/'";
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'holds a control character';
  return undefined;
}

export function backupDir(root: string, kind: string, host: string, id: string): PathUnder {
  return pathUnder(root, kind, host, id);
}

/** Kinds, hosts and ids become path segments: refuse anything that could leave the catalog. */
export function segmentProblem(what: string, value: string): string | undefined {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(value) ? undefined : `${what} '${value}' must be letters, digits, '.', '_' or '-'`;
}
