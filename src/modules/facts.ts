import { posix } from 'node:path';
import { type ShellCommand, sh } from '../command/command.js';
import type { CommandResult } from '../connection/connection.js';
import type { ModuleContext } from './module.js';

/** Ownership and permissions, shared by the modules that write files (file, copy, template). */
export type FileAttributes = {
  /** Octal, as a string: "0640". */
  mode?: string;
  owner?: string;
  group?: string;
};

/**
 * The argument schema of FileAttributes, shared by file, copy and template. An owner or group
 * may not start with `-`: chown would read it as an option.
 */
export const FILE_ATTRIBUTES_SCHEMA = {
  mode: { $ref: '#/definitions/mode' },
  owner: { type: 'string', pattern: '^[^-]', description: 'A user name or uid (not starting with -).' },
  group: { type: 'string', pattern: '^[^-]', description: 'A group name or gid (not starting with -).' },
} as const;

/** What a path is on the host: its type and attributes, in one command. */
export interface PathFact {
  type: 'missing' | 'file' | 'directory' | 'link' | 'other';
  /** Octal permission bits as `stat %a` prints them, without leading zeros: `640`, `2755`. */
  mode?: string;
  owner?: string;
  group?: string;
  /** Numeric ids: what rollback restores (a name may not resolve, `stat` then says UNKNOWN). */
  uid?: string;
  gid?: string;
  /** Link target, for links. */
  target?: string;
  /** sha256 of a regular file's content, when asked for. */
  sha256?: string;
  /**
   * For a missing path: its topmost missing ancestor (the path itself when its parent exists),
   * so a module that creates it with `mkdir -p` knows what rollback must remove.
   */
  firstMissing?: string;
}

/**
 * Reads a path's fact with one read-only command; `withDigest` adds the content's sha256 for
 * regular files. GNU coreutils (`stat -c`) is assumed on the host, as on every OpenStack node.
 */
export async function pathFact(ctx: ModuleContext, path: string, withDigest = false): Promise<{ fact: PathFact; result: CommandResult }> {
  const result = await ctx.exec(pathFactCommand(path, withDigest).text);
  return { fact: parseFact(result.stdout), result };
}

/** The fact command: a type line, then the attributes (or link target, or first missing path). */
export function pathFactCommand(path: string, withDigest = false): ShellCommand {
  const digest = withDigest ? sh`; sha256sum -- ${path} | cut -c1-64` : sh``;
  const attrs = sh`stat -c '%a %U %G %u %g' -- ${path}`;
  // Walks up until a path exists; `-L` too, so a dangling link counts as existing.
  const firstMissing = sh`p=${path}; top=$p; while [ ! -e "$p" ] && [ ! -L "$p" ]; do top=$p; p=$(dirname -- "$p"); done; printf '%s\\n' "$top"`;
  const link = sh`if [ -L ${path} ]; then printf 'link\\n'; readlink -- ${path}; `;
  const directory = sh`elif [ -d ${path} ]; then printf 'directory\\n'; ${attrs}; `;
  const file = sh`elif [ -f ${path} ]; then printf 'file\\n'; ${attrs}${digest}; `;
  return sh`${link}${directory}${file}elif [ -e ${path} ]; then printf 'other\\n'; else printf 'missing\\n'; ${firstMissing}; fi`;
}

/** Parses {@link pathFactCommand}'s output. */
export function parseFact(stdout: string): PathFact {
  const [type = 'missing', second = '', third = ''] = stdout.split('\n');
  if (type === 'link') return { type, target: second };
  if (type === 'directory' || type === 'file') {
    const [mode = '', owner, group, uid, gid] = second.split(' ');
    return {
      type,
      mode: normalizeMode(mode),
      ...(owner ? { owner } : {}),
      ...(group ? { group } : {}),
      ...(uid ? { uid } : {}),
      ...(gid ? { gid } : {}),
      ...(third ? { sha256: third } : {}),
    };
  }
  if (type === 'other') return { type };
  return { type: 'missing', ...(second ? { firstMissing: second } : {}) };
}

/**
 * What creating `path` with `mkdir -p` creates, deepest first: the path and its missing
 * ancestors up to the fact's `firstMissing`. Rollback removes exactly these.
 */
export function createdPaths(path: string, fact: PathFact): string[] {
  const top = fact.firstMissing ?? path;
  const out: string[] = [];
  for (let p = path; ; p = posix.dirname(p)) {
    out.push(p);
    // dirname of `/` or `.` is itself: stop there if the host's answer was not on the way.
    if (p === top || posix.dirname(p) === p) return out;
  }
}

/** `0640`, `640` and `0o640` compare equal; `2755` keeps its special bits. */
export function normalizeMode(mode: string): string {
  return mode.replace(/^0o/, '').replace(/^0+(?=\d)/, '').padStart(3, '0');
}

/** Ownership and permissions as a step asks for them. */
export interface WantedAttributes {
  mode?: string;
  owner?: string;
  group?: string;
}

/**
 * Whether mode, owner and group are as asked (unasked ones always match). A 3-digit mode on a
 * directory ignores setuid/setgid: GNU chmod keeps those on directories, so comparing them
 * would report a change on every run.
 */
export function attributesMatch(fact: PathFact, wanted: WantedAttributes): boolean {
  return modeMatches(fact, wanted.mode) && ownerMatches(fact.owner, fact.uid, wanted.owner) && ownerMatches(fact.group, fact.gid, wanted.group);
}

function modeMatches(fact: PathFact, wanted: string | undefined): boolean {
  if (wanted === undefined) return true;
  const want = normalizeMode(wanted);
  const have = fact.mode ?? '';
  // setuid/setgid (2, 4, 6) survive `chmod 755 dir`; a sticky bit (1, 3, 5, 7) does not.
  if (fact.type === 'directory' && want.length === 3 && /^[246]\d{3}$/.test(have)) return have.slice(1) === want;
  return have === want;
}

/** A wanted owner may be a name or a numeric id. */
function ownerMatches(name: string | undefined, id: string | undefined, wanted: string | undefined): boolean {
  return wanted === undefined || wanted === name || wanted === id;
}

/**
 * `chmod`/`chown` commands that set the asked attributes (empty when none asked). `target` is
 * a command word: a quoted path (sh`${path}`), or a variable reference such as sh`"$t"`.
 * `recursive` adds `-R`.
 */
export function attributeCommands(target: ShellCommand, wanted: WantedAttributes, recursive = false): ShellCommand[] {
  const r = recursive ? ['-R'] : [];
  const out: ShellCommand[] = [];
  if (wanted.mode !== undefined) out.push(sh`chmod ${[...r, normalizeMode(wanted.mode)]} -- ${target}`);
  if (wanted.owner !== undefined || wanted.group !== undefined) {
    out.push(sh`chown ${[...r, `${wanted.owner ?? ''}${wanted.group !== undefined ? `:${wanted.group}` : ''}`]} -- ${target}`);
  }
  return out;
}

/**
 * The commands that put back the attributes a step asked to change (`asked`), as a fact read
 * earlier had them, by numeric id (exact even when a name no longer resolves). The mode is
 * written with 5 digits (`00755`): only then does GNU chmod also clear directory setuid/setgid
 * bits the change may have added.
 */
export function restoreAttributeCommands(target: ShellCommand, before: PathFact, asked: WantedAttributes): ShellCommand[] {
  const out: ShellCommand[] = [];
  if (asked.mode !== undefined && before.mode !== undefined) out.push(sh`chmod ${before.mode.padStart(5, '0')} -- ${target}`);
  const owner = before.uid ?? before.owner;
  const group = before.gid ?? before.group;
  if ((asked.owner !== undefined || asked.group !== undefined) && owner !== undefined && group !== undefined) {
    out.push(sh`chown ${`${owner}:${group}`} -- ${target}`);
  }
  return out;
}
