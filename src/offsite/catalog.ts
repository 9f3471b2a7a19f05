import type { Connection, ExecOptions } from '../connection/connection.js';
import type { BackupFile, CatalogEntry } from '../catalog/manifest.js';
import { type Catalog, parseCatalog } from '../catalog/read.js';
import { type SwiftTarget, listCatalogScript, locationOf, objectPath, parseHeads, headScript, swiftStdin } from './swift.js';

/**
 * The folder-like root that off-site entries are placed under (`entry.dir` is
 * `/<container>/<kind>/<host>/<id>`): the parser's path checks apply to them unchanged. Nothing
 * on a host is ever read or written by it; objects are named by kind, host, id and file name.
 */
export function offsiteRoot(target: Pick<SwiftTarget, 'container'>): string {
  return `/${target.container}`;
}

/**
 * Reads the off-site catalog through a host that can reach Swift (curl on it, the key on
 * stdin): every manifest checked as the storage node's are (catalog/manifest.ts), a manifest
 * that does not name its own place refused. Throws when the listing fails (authentication,
 * Swift down), like readCatalog.
 */
export async function readOffsiteCatalog(connection: Connection, target: SwiftTarget, options: Pick<ExecOptions, 'become' | 'signal' | 'timeoutMs'> = {}): Promise<Catalog> {
  const result = await connection.exec(listCatalogScript(target).text, { ...options, stdin: swiftStdin(target) });
  if (result.exitCode !== 0) throw new Error(`cannot read the off-site catalog ${locationOf(target)} through ${connection.host}: ${result.stderr.trim() || `exit code ${result.exitCode}`}`);
  return parseCatalog(offsiteRoot(target), result.stdout);
}

/** The object names of a backup's files in the container. */
export function objectsOf(entry: Pick<CatalogEntry, 'kind' | 'host' | 'id'>, files: readonly Pick<BackupFile, 'name'>[]): string[] {
  return files.map((f) => objectPath(entry.kind, entry.host, entry.id, f.name));
}

/**
 * Whether Swift holds `files` as the manifest says: each object there (HEAD 200), of the
 * manifest's size, with the manifest's sha256 as its metadata. Swift checked each one's md5
 * against the sender's when it was stored; the sha256 is checked again on every download.
 */
export async function checkOffsiteFiles(connection: Connection, target: SwiftTarget, entry: CatalogEntry, files: readonly BackupFile[], options: Pick<ExecOptions, 'become' | 'signal' | 'timeoutMs'>) {
  const objects = objectsOf(entry, files);
  const result = await connection.exec(headScript(target, objects).text, { ...options, stdin: swiftStdin(target) });
  if (result.exitCode !== 0) return { commands: [result], problems: [`cannot read ${locationOf(target)}: ${result.stderr.trim() || `exit code ${result.exitCode ?? 'by a signal'}`}`] };
  const heads = parseHeads(result.stdout, files.length);
  const problems = files.flatMap((file, i) => {
    const head = heads[i];
    if (!head || head.status !== 200) return [`${file.name} is not in ${locationOf(target)} (HTTP ${head?.status ?? 0})`];
    if (head.size !== file.size) return [`${file.name} is ${head.size ?? '?'} bytes in ${locationOf(target)}, the manifest says ${file.size}`];
    if (head.sha256 !== file.sha256) return [`${file.name} has sha256 ${head.sha256 ?? 'none'} in ${locationOf(target)}, the manifest says ${file.sha256}`];
    return [];
  });
  return { commands: [result], problems };
}
