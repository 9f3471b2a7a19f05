import { type ShellCommand, sh } from '../command/command.js';
import { durationFinding, parseDuration } from '../runbook/duration.js';
import { isRecord } from '../runbook/raw.js';
import { defineModule, type RulesInput } from './definition.js';
import type { ActionOutcome, CheckOutcome, ModuleContext } from './module.js';

/** Exactly one of port, path, command (the loader checked). */
export type WaitForArgs = {
  port?: number;
  /** Address for `port`, as seen from the step's host; default 127.0.0.1. */
  host?: string;
  path?: string;
  /** A shell command: `started` waits for exit 0, `stopped` for a non-zero exit. */
  command?: string;
  state?: 'started' | 'stopped' | 'present' | 'absent';
  /** From `timeout:`; undefined means the module's default. */
  timeoutMs?: number;
  /** Wait this long before the first poll (Ansible's `delay`): a duration. */
  delay?: string | number;
};

/** wait_for as written: `timeout` a duration. */
type WaitForYaml = Omit<WaitForArgs, 'timeoutMs'> & { timeout?: string | number };

/** What a wait_for waits on: exactly one of them. */
const TARGETS = ['port', 'path', 'command'] as const;
const PORT_STATES = ['started', 'stopped'];
const PATH_STATES = ['present', 'absent'];

function waitForRules({ value: args, at, findings }: RulesInput): void {
  if (!isRecord(args)) return;
  const targets = TARGETS.filter((k) => args[k] !== undefined);
  if (targets.length !== 1) {
    findings.add(at, `wait_for needs exactly one of port, path, command${targets.length > 1 ? ` (has ${targets.join(' and ')})` : ''}`, { at: 'key' });
  }
  if (args.host !== undefined && args.port === undefined) findings.add(`${at}.host`, 'wait_for host only goes with port', { at: 'key' });
  const state = args.state;
  if (typeof state === 'string' && targets.length === 1) {
    const allowed = targets[0] === 'path' ? PATH_STATES : PORT_STATES;
    if (!allowed.includes(state)) findings.add(`${at}.state`, `wait_for state '${state}' does not go with ${targets[0]} (use ${allowed.join(' or ')})`);
  }
  durationFinding(args.timeout, `${at}.timeout`, 'timeout', findings);
  durationFinding(args.delay, `${at}.delay`, 'delay', findings);
}

/** Ansible's default: five minutes. */
export const DEFAULT_TIMEOUT_MS = 300_000;
/** Between two polls; short, because each poll is a cheap command on the host. */
const POLL_SECONDS = 0.5;

/** The shell condition that holds once the wait is over, and its words for messages. */
export function condition(args: WaitForArgs): { test: ShellCommand; what: string } {
  if (args.port !== undefined) {
    const address = args.host ?? '127.0.0.1';
    // bash's /dev/tcp needs no nc or ss on the host; `timeout` bounds a connect that hangs. The
    // address and port reach bash's script as arguments, never as its code.
    const probe = sh`timeout 2 bash -c 'exec 3<>/dev/tcp/"$1"/"$2"' bash ${address} ${args.port} 2>/dev/null`;
    const stopped = args.state === 'stopped';
    return { test: stopped ? sh`! ${probe}` : probe, what: `port ${args.port} on ${address} to be ${stopped ? 'closed' : 'open'}` };
  }
  if (args.path !== undefined) {
    const absent = args.state === 'absent';
    return { test: absent ? sh`! test -e ${args.path}` : sh`test -e ${args.path}`, what: `${args.path} to be ${absent ? 'absent' : 'present'}` };
  }
  const command = sh`sh -c ${args.command ?? 'false'} >/dev/null 2>&1`;
  const stopped = args.state === 'stopped';
  return { test: stopped ? sh`! ${command}` : command, what: `\`${args.command ?? ''}\` to ${stopped ? 'fail' : 'succeed'}` };
}

/** One command that polls on the host until the condition holds (exit 0) or time is up (exit 1). */
export function pollCommand(test: ShellCommand, timeoutMs: number, delayMs: number): ShellCommand {
  const seconds = Math.ceil(timeoutMs / 1000);
  const delay = delayMs > 0 ? sh`sleep ${delayMs / 1000}; ` : sh``;
  return sh`${delay}end=$(( $(date +%s) + ${seconds} )); while :; do if ${test}; then exit 0; fi; if [ "$(date +%s)" -ge "$end" ]; then exit 1; fi; sleep ${POLL_SECONDS}; done`;
}

async function holds(ctx: ModuleContext, args: WaitForArgs) {
  const result = await ctx.exec(condition(args).test.text);
  return { held: result.exitCode === 0, result };
}

/**
 * `wait_for`: waits on the host until a port opens or closes, a path appears or goes, or a
 * command succeeds or fails. It changes nothing. The check polls once: a condition that already
 * holds is `ok`; otherwise apply polls in one command on the host (no round trip per poll)
 * until it holds or the timeout passes, which fails the step.
 */
export const waitForModule = defineModule<WaitForArgs, null>({
  name: 'wait_for',
  schema: {
    type: 'object',
    additionalProperties: false,
    description: 'Wait until a port, path or command reaches a state (one of port, path, command).',
    properties: {
      port: {
        type: 'integer',
        minimum: 1,
        maximum: 65535,
      },
      host: {
        type: 'string',
        description: "Address for port (default: 127.0.0.1 on the step's host).",
      },
      path: {
        type: 'string',
      },
      command: {
        type: 'string',
        description: 'A shell command that must exit 0.',
      },
      state: {
        enum: ['started', 'stopped', 'present', 'absent'],
        description: 'started/stopped for a port, present/absent for a path (default: started or present).',
      },
      timeout: {
        $ref: '#/definitions/duration',
      },
      delay: {
        $ref: '#/definitions/duration',
        description: 'Wait this long before the first poll.',
      },
    },
  },
  load({ value }) {
    const { timeout, ...rest } = value as WaitForYaml;
    const timeoutMs = timeout === undefined ? undefined : parseDuration(timeout);
    return { ...rest, ...(timeoutMs === undefined ? {} : { timeoutMs }) };
  },
  rules: waitForRules,
  show: (args, words) => `waits for ${TARGETS.filter((k) => args[k] !== undefined).map((k) => `${k} ${words.arg(k)}`).join(', ')}${args.state ? ` to be ${args.state}` : ''}`,
  shellFields: ['command'],
  mutating: false,

  async check(ctx, args): Promise<CheckOutcome<null>> {
    const { held, result } = await holds(ctx, args);
    return held ? { status: 'ok', commands: [result] } : { status: 'change', prior: null, commands: [result] };
  },

  async apply(ctx, args): Promise<ActionOutcome> {
    const timeoutMs = args.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const delayMs = args.delay === undefined ? 0 : (parseDuration(args.delay) ?? 0);
    const result = await ctx.exec(pollCommand(condition(args).test, timeoutMs, delayMs).text);
    if (result.exitCode === 0) return { ok: true, commands: [result], changed: false };
    const message = result.exitCode === 1 ? `timed out after ${timeoutMs / 1000} s waiting for ${condition(args).what}` : undefined;
    return { ok: false, commands: [result], ...(message ? { message } : {}) };
  },

  async rollback(): Promise<ActionOutcome> {
    return { ok: true, commands: [] };
  },
});
