import type { ExecOptions } from './connection.js';
import { shellQuote } from '../command/quote.js';

/** Environment variable names a shell accepts; anything else would change the command's meaning. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What the command wrapping needs to know about the session it runs in. */
export interface WrapContext {
  /** The login user; `root` skips sudo for `become`. */
  user: string;
}

/**
 * Builds the `sh -c` payload for a user command: cwd and env are put into the command itself
 * (sshd drops channel env requests), then `become` wraps it all in `sudo -n sh -c`, so the
 * directory and variables apply to the privileged shell too. Every value is one quoted word.
 */
export function wrapCommand(command: string, options: Pick<ExecOptions, 'become' | 'env' | 'cwd'>, context: WrapContext): string {
  let inner = command;
  const env = Object.entries(options.env ?? {});
  if (env.length > 0) {
    for (const [name] of env) {
      if (!ENV_NAME.test(name)) throw new Error(`invalid environment variable name: ${JSON.stringify(name)}`);
    }
    const assignments = env.map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
    inner = `env ${assignments} sh -c ${shellQuote(inner)}`;
  }
  if (options.cwd !== undefined) inner = `cd -- ${shellQuote(options.cwd)} && ${inner}`;
  if (options.become && context.user !== 'root') inner = `sudo -n sh -c ${shellQuote(inner)}`;
  return inner;
}

/**
 * The options a command really runs with on a host: a host with `ansible_become` runs every
 * command through sudo, as Ansible does, so that the same runbook works for a root login and for
 * an operator account with sudo. Applied once, so the wrapping and the kill agree.
 */
export function onHost<T extends Pick<ExecOptions, 'become'>>(options: T, host: { become: boolean }): T {
  return host.become && !options.become ? { ...options, become: true } : options;
}

/** Marker of the first stdout line that carries the process-group id of a wrapped command. */
export const PGID_MARKER = '__RUNBOOK_PGID__';

/**
 * Runs `payload` in a process group of its own so that everything it starts, grandchildren
 * included, can be killed at once. The group leader prints `MARKER <pgid>` as the first stdout
 * line, which the connection strips. OpenSSH's sshd makes each session's shell a session (and
 * group) leader: when /proc says so, the shell itself leads and execs the payload (two
 * processes per command). Otherwise `setsid -w` makes a new session (it forks, since the shell
 * may lead a group, and waits, so the exit status comes through); without setsid, the shell's
 * own pid is used.
 */
export function sessionCommand(payload: string): string {
  const leader = `echo ${PGID_MARKER} $$; exec sh -c ${shellQuote(payload)}`;
  const leads = `read -r _ _ _ _ pgid _ </proc/$$/stat 2>/dev/null && [ "$pgid" = "$$" ]`;
  return `if ${leads}; then ${leader}; elif command -v setsid >/dev/null 2>&1; then exec setsid -w sh -c ${shellQuote(leader)}; else ${leader}; fi`;
}

/**
 * Kills a process group: TERM, up to a second for it to go (polled every 0.1 s), then KILL.
 * `kill -s SIG -- -PGID` is the POSIX form; dash rejects `kill -TERM -- -PGID`. Errors (the
 * group is already gone) are ignored and the command always succeeds.
 */
export function killGroupCommand(pgid: number): string {
  const group = `-- -${pgid}`;
  return (
    `kill -s TERM ${group} 2>/dev/null || exit 0; ` +
    `for i in 1 2 3 4 5 6 7 8 9 10; do kill -s 0 ${group} 2>/dev/null || exit 0; sleep 0.1; done; ` +
    `kill -s KILL ${group} 2>/dev/null; exit 0`
  );
}
