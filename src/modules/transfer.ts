import type { CommandResult } from '../connection/connection.js';
import { type ShellCommand, sh } from '../command/command.js';
import { asidePath } from './aside.js';
import { streamFile } from './stream.js';
import { defineModule } from './definition.js';
import type { ActionOutcome, CheckOutcome } from './module.js';
import { keepAsideCommand, parseSha256, restoreFileCommand, sha256Command, shOn } from './remote.js';

export type TransferArgs = {
  /** A regular file on the step's host. */
  src: string;
  /** The path on the receiving host. */
  dest: string;
  /** Inventory name of the receiving host. */
  to: string;
  checksum: 'sha256';
};

/** A path as `stat` sees it: enough to tell, without reading it, whether a file changed. */
export interface StatState {
  exists: boolean;
  /** Not a regular file (a directory, a device, a symlink): never sent, never replaced. */
  notAFile?: boolean;
  /** Octal permissions, e.g. `640`. */
  mode?: string;
  size?: number;
  /** Device, inode, mtime and ctime (nanoseconds where the filesystem has them), as stat printed them. */
  identity?: string;
  /** Only when the check had to read the content: dest of the same size as the source. */
  sha256?: string;
}

interface TransferPrior {
  source: StatState;
  before: StatState;
  /** Where the receiving host keeps the previous dest until the run ends. */
  aside?: string;
  /** The temporary name the bytes are written to before the rename. */
  temp?: string;
}

/**
 * `transfer`: a file streamed from the step's host to another host of the run. The bytes go
 * through the control node with backpressure (one chunk at a time, whatever the file's size),
 * hashed on the way, into a temporary name beside dest; the receiving host hashes the temporary
 * file once written, and it is renamed into place, with the source's mode, only when that equals
 * the hash of what was sent and the source is still the file the check saw (same size, inode,
 * mtime and ctime), so a source that changed while it was read is refused.
 * Check: dest on the receiving host has the source's size, mode and sha256 (contents are read,
 * on both hosts at once, only when the sizes are equal). Rollback: the previous dest back (kept
 * as a hard link), or dest removed.
 */
export const transferModule = defineModule<TransferArgs, TransferPrior>({
  name: 'transfer',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest', 'to'],
    description: "Stream a file from this step's host to another host, constant memory, checksum verified.",
    properties: {
      src: {
        type: 'string',
        description: "File on this step's host.",
      },
      dest: {
        type: 'string',
        description: 'Path on the receiving host.',
      },
      to: {
        type: 'string',
        description: 'Inventory name of the receiving host.',
      },
      checksum: {
        enum: ['sha256'],
      },
    },
  },
  load: ({ value }) => ({ ...(value as Omit<TransferArgs, 'checksum'>), checksum: 'sha256' }),
  show: (_args, words) => `sends ${words.arg('src')} to ${words.arg('dest')} on ${words.arg('to')}, sha256 checked`,
  reaches: ['to'],
  shellFields: [],
  mutating: true,

  async check(ctx, args): Promise<CheckOutcome<TransferPrior>> {
    const to = await ctx.connectionTo(args.to);
    const [src, dest] = await Promise.all([ctx.exec(statCommand(args.src).text), to.exec(statCommand(args.dest).text, ctx.options)]);
    const source = parseStat(src);
    const before = parseStat(dest);
    const commands = [src, dest];
    const comparable = isFile(source) && isFile(before) && source.size === before.size;
    if (!comparable) return { status: 'change', prior: { source, before }, commands };
    // The same size: only the contents can tell. Each host hashes its own file, both at once.
    const sums = await Promise.all([ctx.exec(sha256Command(args.src).text), to.exec(sha256Command(args.dest).text, ctx.options)]);
    commands.push(...sums);
    const [srcSum, destSum] = sums.map((r) => (r.exitCode === 0 ? parseSha256(r.stdout) : undefined));
    if (srcSum) source.sha256 = srcSum;
    if (destSum) before.sha256 = destSum;
    if (srcSum && srcSum === destSum && source.mode === before.mode) return { status: 'ok', commands };
    return { status: 'change', prior: { source, before }, commands };
  },

  async apply(ctx, args, prior) {
    const { source, before } = prior;
    if (!isFile(source)) return { ok: false, commands: [], message: `${args.src} is not a regular file on ${ctx.host.name}` };
    if (before.notAFile) return { ok: false, commands: [], message: `${args.dest} on ${args.to} exists and is not a regular file` };
    const to = await ctx.connectionTo(args.to);
    const aside = asidePath(ctx, args.dest);
    const temp = (prior.temp = `${aside}.part`);
    if (before.exists) {
      const kept = await shOn(ctx, to, keepAsideCommand(args.dest, aside));
      if (!kept.ok) return kept;
      prior.aside = aside;
    }
    // A refused or broken send removes its temporary file at once (rollback would too, but
    // `on_failure: abort` keeps what a failed step left, and this is a partial copy).
    const discard = async (commands: CommandResult[], message: string): Promise<ActionOutcome> => {
      const removed = ctx.signal.aborted ? undefined : await to.exec(sh`rm -f -- ${temp}`.text, ctx.options).catch(() => undefined);
      return { ok: false, commands: removed ? [...commands, removed] : commands, message };
    };
    const sent = await streamFile(ctx, { from: ctx.connection, src: args.src }, { to, temp, dest: args.dest, verify: true });
    if (!sent.ok) return discard(sent.commands, sent.message ?? `sending ${args.src} to ${args.to} failed`);
    const after = await ctx.exec(statCommand(args.src).text);
    const commands = [...sent.commands, after];
    const changed = sourceChange(source, parseStat(after), sent);
    if (changed) return discard(commands, `${args.src} changed on ${ctx.host.name} while it was sent (${changed}); ${args.dest} was not replaced`);
    const settled = await shOn(ctx, to, sh`chmod ${source.mode ?? '600'} -- ${temp} && mv -f -- ${temp} ${args.dest}`);
    return { ...settled, commands: [...commands, ...settled.commands] };
  },

  async rollback(ctx, args, prior) {
    const to = await ctx.connectionTo(args.to);
    return shOn(ctx, to, restoreFileCommand(args.dest, { existed: prior.before.exists, ...pick(prior) }));
  },

  async commit(ctx, args, prior) {
    if (!prior.aside) return { ok: true, commands: [] };
    return shOn(ctx, await ctx.connectionTo(args.to), sh`rm -f -- ${prior.aside}`);
  },
});

const pick = (prior: TransferPrior) => ({ ...(prior.aside ? { aside: prior.aside } : {}), ...(prior.temp ? { temp: prior.temp } : {}) });

const isFile = (state: StatState): boolean => state.exists && !state.notAFile && state.size !== undefined;

/** Why the source is not the file the check saw, or undefined when it still is. */
function sourceChange(checked: StatState, now: StatState, sent: { sha256?: string; bytes?: number }): string | undefined {
  if (!isFile(now)) return 'it is gone or no longer a regular file';
  if (checked.sha256 && sent.sha256 !== checked.sha256) return `sha256 ${sent.sha256 ?? '?'} sent, ${checked.sha256} at the check`;
  if (sent.bytes !== checked.size) return `${sent.bytes ?? '?'} bytes sent, ${checked.size ?? '?'} at the check`;
  if (now.size !== checked.size || now.identity !== checked.identity || now.mode !== checked.mode) {
    return `stat at the check: ${describe(checked)}; after sending: ${describe(now)}`;
  }
  return undefined;
}

const describe = (s: StatState): string => `mode ${s.mode ?? '?'}, ${s.size ?? '?'} bytes, ${s.identity ?? '?'}`;

/**
 * One command: `missing`, `other`, or `file MODE SIZE DEV:INODE MTIME CTIME`. A write to the file
 * moves its ctime, which nobody can set back, so the same identity before and after the send
 * means nothing wrote to it in between (to the clock's resolution).
 */
export function statCommand(path: string): ShellCommand {
  const file = sh`if [ -f ${path} ] && [ ! -L ${path} ]; then stat -c 'file %a %s %d:%i %y %z' -- ${path}; `;
  return sh`${file}elif [ -e ${path} ] || [ -L ${path} ]; then echo other; else echo missing; fi`;
}

export function parseStat(result: CommandResult): StatState {
  const [kind, mode, size, ...identity] = result.stdout.trim().split(' ');
  if (result.exitCode === 0 && kind === 'file' && mode && size && /^\d+$/.test(size)) {
    return { exists: true, mode, size: Number(size), identity: identity.join(' ') };
  }
  return kind === 'missing' && result.exitCode === 0 ? { exists: false } : { exists: true, notAFile: true };
}
