import { shellQuote } from '../connection/quote.js';
import type { CommandResult } from '../connection/connection.js';
import type { ModuleContext } from './module.js';

/** What a path is on the host: its type and attributes, in one command. */
export interface PathFact {
  type: 'missing' | 'file' | 'directory' | 'link' | 'other';
  mode?: string;
  owner?: string;
  group?: string;
  /** Link target, for links. */
  target?: string;
  /** sha256 of a regular file's content, when asked for. */
  sha256?: string;
}

/** Reads a path's fact; `withDigest` adds the content's sha256 for regular files. */
export async function pathFact(ctx: ModuleContext, path: string, withDigest = false): Promise<{ fact: PathFact; result: CommandResult }> {
  const p = shellQuote(path);
  const digest = withDigest ? `; sha256sum -- ${p} | cut -c1-64` : '';
  const command =
    `if [ -L ${p} ]; then printf 'link\\n'; readlink -- ${p}; ` +
    `elif [ -d ${p} ]; then printf 'directory\\n'; stat -c '%a %U %G' -- ${p}; ` +
    `elif [ -f ${p} ]; then printf 'file\\n'; stat -c '%a %U %G' -- ${p}${digest}; ` +
    `elif [ -e ${p} ]; then printf 'other\\n'; else printf 'missing\\n'; fi`;
  const result = await ctx.exec(command);
  return { fact: parseFact(result.stdout), result };
}

function parseFact(stdout: string): PathFact {
  const [type = 'missing', second = '', third = ''] = stdout.split('\n');
  if (type === 'link') return { type, target: second };
  if (type === 'directory' || type === 'file') {
    const [mode, owner, group] = second.split(' ');
    return { type, mode: normalizeMode(mode ?? ''), ...(owner ? { owner } : {}), ...(group ? { group } : {}), ...(third ? { sha256: third } : {}) };
  }
  return { type: type === 'other' ? 'other' : 'missing' };
}

/** `0640`, `640` and `0o640` compare equal. */
export function normalizeMode(mode: string): string {
  return mode.replace(/^0o?/, '').padStart(3, '0');
}

/** Whether mode, owner and group are as asked (unasked ones always match). */
export function attributesMatch(fact: PathFact, wanted: { mode?: string; owner?: string; group?: string }): boolean {
  return (
    (wanted.mode === undefined || normalizeMode(wanted.mode) === fact.mode) &&
    (wanted.owner === undefined || wanted.owner === fact.owner) &&
    (wanted.group === undefined || wanted.group === fact.group)
  );
}

/**
 * `chmod`/`chown` commands that set the asked attributes (empty when none asked). `target` is
 * shell-ready: a quoted path, or a variable reference such as `"$t"`.
 */
export function attributeCommands(target: string, wanted: { mode?: string; owner?: string; group?: string }): string[] {
  const p = target;
  const out: string[] = [];
  if (wanted.mode !== undefined) out.push(`chmod ${normalizeMode(wanted.mode)} -- ${p}`);
  if (wanted.owner !== undefined || wanted.group !== undefined) {
    out.push(`chown ${shellQuote(`${wanted.owner ?? ''}${wanted.group !== undefined ? `:${wanted.group}` : ''}`)} -- ${p}`);
  }
  return out;
}
