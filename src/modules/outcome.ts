import { joinCommands, type ShellCommand } from '../command/command.js';
import type { ActionOutcome, ModuleContext } from './module.js';

/**
 * Runs one command on the step's host and makes it an outcome: ok iff exit 0. A failed command
 * is data; only transport errors throw (from `ctx.exec`). `stdin` carries content and secrets,
 * which never go on a command line.
 */
export async function runCommand(ctx: ModuleContext, command: ShellCommand, stdin?: string | Buffer): Promise<ActionOutcome> {
  const result = await ctx.exec(command.text, stdin === undefined ? undefined : { stdin });
  return { ok: result.exitCode === 0, commands: [result] };
}

/** Runs `&&`-joined commands as one, or nothing (ok, no commands) when the list is empty. */
export function runAll(ctx: ModuleContext, commands: readonly ShellCommand[], stdin?: string | Buffer): Promise<ActionOutcome> {
  if (commands.length === 0) return Promise.resolve(nothing());
  return runCommand(ctx, joinCommands(commands, '&&'), stdin);
}

/** The outcome of having nothing to do (changed: false, for an apply that found nothing to change). */
export const nothing = (): ActionOutcome => ({ ok: true, commands: [], changed: false });

/** A failure decided without running anything. */
export const refused = (message: string): ActionOutcome => ({ ok: false, commands: [], message });
