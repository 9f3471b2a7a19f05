import { shellQuote } from '../connection/quote.js';
import { parseDuration } from '../runbook/duration.js';
import type { ActionOutcome, CheckOutcome, ModuleContext, StepModule } from './module.js';
import type { WaitForArgs } from '../runbook/module-args.js';

export type { WaitForArgs };

/** Ansible's default: five minutes. */
export const DEFAULT_TIMEOUT_MS = 300_000;
/** Between two polls; short, because each poll is a cheap command on the host. */
const POLL_SECONDS = 0.5;

/** The shell condition that holds once the wait is over, and its words for messages. */
export function condition(args: WaitForArgs): { test: string; what: string } {
  if (args.port !== undefined) {
    const address = args.host ?? '127.0.0.1';
    // bash's /dev/tcp needs no nc or ss on the host; `timeout` bounds a connect that hangs.
    const probe = `timeout 2 bash -c ${shellQuote(`exec 3<>/dev/tcp/${address}/${args.port}`)} 2>/dev/null`;
    const stopped = args.state === 'stopped';
    return { test: stopped ? `! ${probe}` : probe, what: `port ${args.port} on ${address} to be ${stopped ? 'closed' : 'open'}` };
  }
  if (args.path !== undefined) {
    const p = shellQuote(args.path);
    const absent = args.state === 'absent';
    return { test: absent ? `! test -e ${p}` : `test -e ${p}`, what: `${args.path} to be ${absent ? 'absent' : 'present'}` };
  }
  const command = `sh -c ${shellQuote(args.command ?? 'false')} >/dev/null 2>&1`;
  const stopped = args.state === 'stopped';
  return { test: stopped ? `! ${command}` : command, what: `\`${args.command ?? ''}\` to ${stopped ? 'fail' : 'succeed'}` };
}

/** One command that polls on the host until the condition holds (exit 0) or time is up (exit 1). */
export function pollCommand(test: string, timeoutMs: number, delayMs: number): string {
  const seconds = Math.ceil(timeoutMs / 1000);
  return [
    delayMs > 0 ? `sleep ${delayMs / 1000}; ` : '',
    `end=$(( $(date +%s) + ${seconds} )); `,
    `while :; do if ${test}; then exit 0; fi; `,
    `if [ "$(date +%s)" -ge "$end" ]; then exit 1; fi; sleep ${POLL_SECONDS}; done`,
  ].join('');
}

async function holds(ctx: ModuleContext, args: WaitForArgs) {
  const result = await ctx.exec(condition(args).test);
  return { held: result.exitCode === 0, result };
}

/**
 * `wait_for`: waits on the host until a port opens or closes, a path appears or goes, or a
 * command succeeds or fails. It changes nothing. The check polls once: a condition that already
 * holds is `ok`; otherwise apply polls in one command on the host (no round trip per poll)
 * until it holds or the timeout passes, which fails the step.
 */
export const waitForModule: StepModule<WaitForArgs, null> = {
  name: 'wait_for',
  shellFields: ['command'],
  mutating: false,

  async check(ctx, args): Promise<CheckOutcome<null>> {
    const { held, result } = await holds(ctx, args);
    return held ? { status: 'ok', commands: [result] } : { status: 'change', prior: null, commands: [result] };
  },

  async apply(ctx, args): Promise<ActionOutcome> {
    const timeoutMs = args.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const delayMs = args.delay === undefined ? 0 : (parseDuration(args.delay) ?? 0);
    const result = await ctx.exec(pollCommand(condition(args).test, timeoutMs, delayMs));
    if (result.exitCode === 0) return { ok: true, commands: [result], changed: false };
    const message = result.exitCode === 1 ? `timed out after ${timeoutMs / 1000} s waiting for ${condition(args).what}` : undefined;
    return { ok: false, commands: [result], ...(message ? { message } : {}) };
  },

  async rollback(): Promise<ActionOutcome> {
    return { ok: true, commands: [] };
  },
};
