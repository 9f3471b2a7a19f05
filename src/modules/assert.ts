import type { CommandResult } from '../connection/connection.js';
import { asList, defineModule } from './definition.js';
import type { ActionOutcome, CheckOutcome, ModuleContext } from './module.js';

export type AssertArgs = {
  /** Shell commands that must each exit 0 (the loader makes a single one a list). */
  that: string[];
  /** Said when an assertion does not hold, before the failing command. */
  msg?: string;
};

/** Runs the commands in order, stopping at the first that does not exit 0. */
async function evaluate(ctx: ModuleContext, args: AssertArgs): Promise<{ failed?: CommandResult; commands: CommandResult[] }> {
  const commands: CommandResult[] = [];
  for (const command of args.that) {
    const result = await ctx.exec(command);
    commands.push(result);
    if (result.exitCode !== 0) return { failed: result, commands };
  }
  return { commands };
}

/** `msg: <command> exited N`, or the reason it has no exit code. */
export function assertionMessage(args: AssertArgs, failed: CommandResult): string {
  const why = failed.timedOut ? 'timed out' : failed.aborted ? 'was interrupted' : `exited ${failed.exitCode ?? 'by a signal'}`;
  return `${args.msg ?? 'assertion failed'}: \`${failed.command}\` ${why}`;
}

/**
 * `assert`: shell commands that must all exit 0. It changes nothing: its check is the whole
 * module. A command that does not hold fails the task, in check mode too (a plan must not say
 * "would change" about a state that stops the run); `when: "{{not run.check}}"` keeps an
 * assert about what earlier steps will have done out of check mode.
 */
export const assertModule = defineModule<AssertArgs, null>({
  name: 'assert',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['that'],
    description: 'Shell commands that must all exit 0; fails the step otherwise.',
    properties: {
      that: {
        type: ['string', 'array'],
        items: {
          type: 'string',
        },
        minItems: 1,
        description: 'A shell command or a list of them; each must exit 0.',
      },
      msg: {
        type: 'string',
        description: 'Shown when an assertion fails.',
      },
    },
  },
  load({ value }) {
    const args = value as Omit<AssertArgs, 'that'> & { that: string | string[] };
    return { ...args, that: asList(args.that) };
  },
  show: (args, words) => `asserts ${args.that.map((c) => words.code(String(c))).join(', ')}`,
  shellFields: ['that'],
  mutating: false,

  async check(ctx, args): Promise<CheckOutcome<null>> {
    const { failed, commands } = await evaluate(ctx, args);
    return failed ? { status: 'failed', message: assertionMessage(args, failed), commands } : { status: 'ok', commands };
  },

  // The engine only applies after a check that neither held nor failed, which assert never
  // returns; should it be called, it asserts again rather than pretend.
  async apply(ctx, args): Promise<ActionOutcome> {
    const { failed, commands } = await evaluate(ctx, args);
    return failed ? { ok: false, commands, message: assertionMessage(args, failed) } : { ok: true, commands, changed: false };
  },

  async rollback(): Promise<ActionOutcome> {
    return { ok: true, commands: [] };
  },
});
