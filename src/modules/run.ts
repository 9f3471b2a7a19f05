import { shellQuote } from '../connection/quote.js';
import type { RunArgs } from '../runbook/types.js';
import type { ActionOutcome, CheckOutcome, ModuleContext, StepModule } from './module.js';

/**
 * `run`: a shell command with its companions. Whether it is already done is the author's
 * `check` (exit 0: done), `creates` (the path exists) or `removes` (the path is gone); without
 * them the module cannot tell. Its rollback is the author's `rollback` command.
 */
export const runModule: StepModule<RunArgs, null> = {
  name: 'run',
  shellFields: ['run', 'check', 'verify', 'rollback'],
  mutating: true,

  async check(ctx, args): Promise<CheckOutcome<null>> {
    const probe = checkCommand(args);
    if (probe === undefined) return { status: 'unknown', prior: null, commands: [] };
    const result = await ctx.exec(probe);
    return result.exitCode === 0 ? { status: 'ok', commands: [result] } : { status: 'change', prior: null, commands: [result] };
  },

  async apply(ctx, args): Promise<ActionOutcome> {
    return single(ctx, args.run);
  },

  async verify(ctx, args): Promise<ActionOutcome> {
    if (args.verify === undefined) return { ok: true, commands: [] };
    const outcome = await single(ctx, args.verify);
    return outcome.ok ? outcome : { ...outcome, message: `verify failed: exit code ${outcome.commands[0]?.exitCode ?? 'none'}` };
  },

  async rollback(ctx, args): Promise<ActionOutcome> {
    if (args.rollback === undefined) return { ok: false, commands: [], message: 'no rollback command' };
    return single(ctx, args.rollback);
  },

  irreversible(args) {
    return args.irreversible;
  },
};

/** The read-only command that tells whether the step is done, if the author gave one. */
function checkCommand(args: RunArgs): string | undefined {
  if (args.check !== undefined) return args.check;
  if (args.creates !== undefined) return `test -e ${shellQuote(args.creates)}`;
  if (args.removes !== undefined) return `test ! -e ${shellQuote(args.removes)}`;
  return undefined;
}

async function single(ctx: ModuleContext, command: string): Promise<ActionOutcome> {
  const result = await ctx.exec(command);
  return { ok: result.exitCode === 0, commands: [result] };
}
