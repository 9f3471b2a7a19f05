import type { CommandResult, Connection } from '../connection/connection.js';
import { shellQuote } from '../connection/quote.js';
import type { ActionOutcome, ModuleContext } from './module.js';

/** Runs a command on another host of the run with the step's become, timeout and signal. */
export async function shOn(ctx: ModuleContext, connection: Connection, command: string): Promise<ActionOutcome> {
  const result = await connection.exec(command, ctx.options);
  return { ok: result.exitCode === 0, commands: [result] };
}

/** A file's state as rollback needs it: whether it was there, and its sha256 if so. */
export interface FileState {
  exists: boolean;
  /** Not a regular file (a directory, a device): never replaced. */
  notAFile?: boolean;
  sha256?: string;
  /** Octal permissions, e.g. `640`. */
  mode?: string;
}

/** One command: `missing`, `other`, or `file MODE SHA256`. */
export function fileStateCommand(path: string): string {
  const p = shellQuote(path);
  return `if [ -f ${p} ] && [ ! -L ${p} ]; then printf 'file %s %s\\n' "$(stat -c %a -- ${p})" "$(sha256sum -- ${p} | cut -c1-64)"; ` +
    `elif [ -e ${p} ] || [ -L ${p} ]; then echo other; else echo missing; fi`;
}

export function parseFileState(result: CommandResult): FileState {
  const [kind, mode, sha256] = result.stdout.trim().split(' ');
  if (kind === 'file' && mode && sha256) return { exists: true, mode, sha256 };
  return kind === 'missing' ? { exists: false } : { exists: true, notAFile: true };
}

/**
 * Keeps the previous version of a file for rollback as a hard link: constant time and space
 * for a multi-gigabyte backup, and the later rename over the name leaves the link intact.
 * Falls back to a copy where links are not allowed.
 */
export function keepAsideCommand(path: string, aside: string): string {
  const [p, a] = [shellQuote(path), shellQuote(aside)];
  return `ln -f -- ${p} ${a} 2>/dev/null || cp -p -- ${p} ${a}`;
}

/** What a rollback of a replaced file knows: whether it existed, where it was kept, the temp name. */
export interface Replaced {
  existed: boolean;
  aside?: string;
  temp?: string;
}

/**
 * Rollback of a replaced file: the kept version back, or the new file gone if none was there.
 * A file that existed but was never kept aside was never replaced either: it stays.
 */
export function restoreFileCommand(path: string, replaced: Replaced): string {
  const p = shellQuote(path);
  const steps = replaced.temp ? [`rm -f -- ${shellQuote(replaced.temp)}`] : [];
  if (replaced.aside) steps.push(`if [ -e ${shellQuote(replaced.aside)} ]; then mv -f -- ${shellQuote(replaced.aside)} ${p}; fi`);
  else if (!replaced.existed) steps.push(`rm -f -- ${p}`);
  return steps.join('; ') || 'true';
}
