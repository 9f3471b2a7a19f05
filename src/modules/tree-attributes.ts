import { type ShellCommand, sh } from '../command/command.js';
import { attributesMatch, normalizeMode, type WantedAttributes } from './facts.js';

/** One path below a directory, with the attributes a recursive change would overwrite. */
export interface TreeEntry {
  path: string;
  mode: string;
  uid: string;
  gid: string;
}

/**
 * Lists everything below `path` (not the path itself, not symlinks: chmod would follow them
 * out of the tree) as `type mode owner group uid gid path`, NUL-terminated so that any file
 * name survives. GNU find.
 */
export function treeCommand(path: string): ShellCommand {
  return sh`find -- ${path} -mindepth 1 ! -type l -printf '%y %m %u %g %U %G %p\\0'`;
}

/** The entries of {@link treeCommand}'s output whose attributes differ from `wanted`. */
export function mismatchedEntries(stdout: string, wanted: WantedAttributes): TreeEntry[] {
  const out: TreeEntry[] = [];
  for (const record of stdout.split('\0')) {
    const m = /^(\S+) (\d+) (\S+) (\S+) (\d+) (\d+) ([\s\S]+)$/.exec(record);
    if (!m) continue;
    const [, y, mode, owner, group, uid, gid, path] = m as unknown as [string, string, string, string, string, string, string, string];
    const fact = { type: y === 'd' ? 'directory' : 'file', mode: normalizeMode(mode), owner, group, uid, gid } as const;
    if (!attributesMatch(fact, wanted)) out.push({ path, mode: fact.mode, uid, gid });
  }
  return out;
}

/** Keeps each command line well below ARG_MAX and sshd's limits. */
const MAX_PATHS = 200;

/**
 * The commands that put the entries' mode and owner back: one chmod per mode and one chown per
 * owner, in batches. Only the attributes the step asked to change are restored.
 */
export function restoreTreeCommands(entries: readonly TreeEntry[], asked: WantedAttributes): ShellCommand[] {
  const out: ShellCommand[] = [];
  if (asked.mode !== undefined) out.push(...batched(entries, (e) => ['chmod', e.mode.padStart(5, '0')]));
  if (asked.owner !== undefined || asked.group !== undefined) out.push(...batched(entries, (e) => ['chown', `${e.uid}:${e.gid}`]));
  return out;
}

/** One command per distinct argv (`chmod 00755`) with its entries' paths, MAX_PATHS at a time. */
function batched(entries: readonly TreeEntry[], argv: (e: TreeEntry) => readonly string[]): ShellCommand[] {
  const groups = new Map<string, { words: readonly string[]; paths: string[] }>();
  for (const e of entries) {
    const words = argv(e);
    const key = words.join(' ');
    const group = groups.get(key);
    if (group) group.paths.push(e.path);
    else groups.set(key, { words, paths: [e.path] });
  }
  const out: ShellCommand[] = [];
  for (const { words, paths } of groups.values()) {
    for (let i = 0; i < paths.length; i += MAX_PATHS) out.push(sh`${words} -- ${paths.slice(i, i + MAX_PATHS)}`);
  }
  return out;
}
