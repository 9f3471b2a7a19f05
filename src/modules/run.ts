import { shellQuote } from '../connection/quote.js';
import type { RunArgs } from '../runbook/types.js';
import type { ActionOutcome, CheckOutcome, StepModule } from './module.js';
import { nothing, refused, runCommand } from './outcome.js';

/**
 * `run`: a shell command with its companions. Whether it is already done is the author's
 * `check` (exit 0: done), `creates` (the path exists) or `removes` (the path is gone); without
 * them the module cannot tell (`unknown`: the engine runs it, and check mode says so). Its
 * rollback is the author's `rollback` command; `irreversible` is the author's reason why none
 * exists. `run`, `check`, `verify` and `rollback` arrive shell-rendered; `creates` and
 * `removes` are paths and quoted here. `stdin` (rendered raw, it may hold a secret) goes to
 * the standard input of each of them.
 */
export const runModule: StepModule<RunArgs, null> = {
  name: 'run',
  shellFields: ['run', 'check', 'verify', 'rollback'],
  mutating: true,

  async check(ctx, args): Promise<CheckOutcome<null>> {
    const probe = checkCommand(args);
    if (probe === undefined) return { status: 'unknown', prior: null, commands: [] };
    const result = await ctx.exec(probe, stdinOf(args));
    return result.exitCode === 0 ? { status: 'ok', commands: [result] } : { status: 'change', prior: null, commands: [result] };
  },

  async apply(ctx, args): Promise<ActionOutcome> {
    return runCommand(ctx, args.run, args.stdin);
  },

  async verify(ctx, args): Promise<ActionOutcome> {
    if (args.verify === undefined) return nothing();
    const outcome = await runCommand(ctx, args.verify, args.stdin);
    const code = outcome.commands[0]?.exitCode;
    return outcome.ok ? outcome : { ...outcome, message: `verify failed: exit code ${code ?? 'none (killed)'}` };
  },

  async rollback(ctx, args): Promise<ActionOutcome> {
    // The engine only calls this without `irreversible`; lint asks for one of the two.
    if (args.rollback === undefined) return refused('not undone: the step has no rollback command (add rollback: or irreversible:)');
    return runCommand(ctx, args.rollback, args.stdin);
  },

  irreversible(args) {
    return args.irreversible;
  },
};

/** The read-only command that tells whether the step is done, if the author gave one. */
export function checkCommand(args: Pick<RunArgs, 'check' | 'creates' | 'removes'>): string | undefined {
  if (args.check !== undefined) return args.check;
  if (args.creates !== undefined) return `test -e ${shellQuote(args.creates)}`;
  if (args.removes !== undefined) return `test ! -e ${shellQuote(args.removes)}`;
  return undefined;
}

/** The exec options that feed a command action's `stdin`, if it has one. */
export function stdinOf(args: { stdin?: string }): { stdin: string } | undefined {
  return args.stdin === undefined ? undefined : { stdin: args.stdin };
}
