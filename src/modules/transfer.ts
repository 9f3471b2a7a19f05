import { shellQuote } from '../connection/quote.js';
import { asidePath } from './aside.js';
import { streamFile } from './stream.js';
import type { ActionOutcome, CheckOutcome, ModuleContext, StepModule } from './module.js';
import { type FileState, fileStateCommand, keepAsideCommand, parseFileState, restoreFileCommand, shOn } from './remote.js';
import type { TransferArgs } from '../runbook/module-args.js';

export type { TransferArgs };

interface TransferPrior {
  source: FileState;
  before: FileState;
  /** Where the receiving host keeps the previous dest until the run ends. */
  aside?: string;
  /** The temporary name the bytes are written to before the rename. */
  temp?: string;
}

/**
 * `transfer`: a file streamed from the step's host to another host of the run. The bytes go
 * through the control node with backpressure (one chunk at a time, whatever the file's size),
 * into a temporary name beside dest that is renamed only once the sha256 of what arrived
 * equals the source's. The source's mode is kept. Check: dest on the receiving host already has
 * the source's sha256. Rollback: the previous dest back (kept as a hard link), or dest removed.
 */
export const transferModule: StepModule<TransferArgs, TransferPrior> = {
  name: 'transfer',
  shellFields: [],
  mutating: true,

  async check(ctx, args): Promise<CheckOutcome<TransferPrior>> {
    const to = await ctx.connectionTo(args.to);
    const [src, dest] = await Promise.all([ctx.exec(fileStateCommand(args.src)), to.exec(fileStateCommand(args.dest), ctx.options)]);
    const source = parseFileState(src);
    const before = parseFileState(dest);
    const commands = [src, dest];
    if (source.exists && !source.notAFile && before.sha256 === source.sha256 && before.mode === source.mode) return { status: 'ok', commands };
    return { status: 'change', prior: { source, before }, commands };
  },

  async apply(ctx, args, prior) {
    const { source, before } = prior;
    if (!source.exists || source.notAFile || !source.sha256) return { ok: false, commands: [], message: `${args.src} is not a regular file on ${ctx.host.name}` };
    if (before.notAFile) return { ok: false, commands: [], message: `${args.dest} on ${args.to} exists and is not a regular file` };
    const to = await ctx.connectionTo(args.to);
    const aside = asidePath(ctx, args.dest);
    prior.temp = `${aside}.part`;
    if (before.exists) {
      const kept = await shOn(ctx, to, keepAsideCommand(args.dest, aside));
      if (!kept.ok) return kept;
      prior.aside = aside;
    }
    const sent = await streamFile(ctx, { from: ctx.connection, src: args.src }, { to, temp: prior.temp, dest: args.dest });
    if (!sent.ok) return sent;
    if (sent.sha256 !== source.sha256) return { ...sent, ok: false, message: `${args.src} changed while it was sent: sha256 ${sent.sha256} != ${source.sha256}` };
    const settled = await shOn(ctx, to, finishCommand(prior.temp, args.dest, source));
    const commands = [...sent.commands, ...settled.commands];
    if (settled.ok) return { ok: true, commands };
    return { ok: false, commands, message: `sha256 of ${args.dest} on ${args.to} does not match ${args.src}: ${settled.commands[0]?.stdout.trim() ?? ''}` };
  },

  async rollback(ctx, args, prior) {
    const to = await ctx.connectionTo(args.to);
    return shOn(ctx, to, restoreFileCommand(args.dest, { existed: prior.before.exists, ...pick(prior) }));
  },

  async commit(ctx, args, prior) {
    if (!prior.aside) return { ok: true, commands: [] };
    return shOn(ctx, await ctx.connectionTo(args.to), `rm -f -- ${shellQuote(prior.aside)}`);
  },
};

const pick = (prior: TransferPrior) => ({ ...(prior.aside ? { aside: prior.aside } : {}), ...(prior.temp ? { temp: prior.temp } : {}) });

/** On the receiving host: the sha256 of what arrived must be the source's, then the rename. */
function finishCommand(temp: string, dest: string, source: FileState): string {
  const t = shellQuote(temp);
  return `got=$(sha256sum -- ${t} | cut -c1-64); if [ "$got" != ${source.sha256} ]; then echo "$got"; rm -f -- ${t}; exit 1; fi; ` +
    `chmod ${source.mode ?? '600'} -- ${t} && mv -f -- ${t} ${shellQuote(dest)}`;
}
