import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { CommandIO } from '../app/io.js';

/** The signals that stop a run: Ctrl-C, cron's and systemd's stop and `timeout` (TERM), a closed terminal (HUP). */
export const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The process's IO for commands. The first interrupt (SIGINT, SIGTERM or SIGHUP) aborts the
 * signal with the signal's name as its reason: the run stops new work, kills running commands
 * and rolls back. Further interrupts only say that the rollback is going on, because abandoning
 * it half-way is the one thing worse than waiting.
 */
export function processIO(): CommandIO {
  const controller = new AbortController();
  for (const name of INTERRUPTS) {
    process.on(name, () => {
      if (!controller.signal.aborted) {
        say(`\ninterrupted by ${name}: stopping, then rolling back what changed (exit 130)\n`);
        controller.abort(name);
      } else {
        say(`\n${name} received; the rollback is in progress and must finish to leave the hosts as they were\n`);
      }
    });
  }
  // A hung-up terminal turns writes into EIO or EPIPE errors: the run must still roll back, and
  // the journal keeps the record, so output that cannot be written is dropped.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const interactive = Boolean(process.stdout.isTTY && process.stdin.isTTY);
  return {
    cwd: process.cwd(),
    env: process.env,
    out: (...lines) => process.stdout.write(lines.map((l) => `${l}\n`).join('')),
    err: (...lines) => process.stderr.write(lines.map((l) => `${l}\n`).join('')),
    interactive,
    color: Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined && process.env.CI === undefined,
    signal: controller.signal,
    ...(interactive ? { ask } : {}),
  };
}

/** Writes to stderr, unless the terminal is gone. */
function say(text: string): void {
  if (process.stderr.writable) process.stderr.write(text);
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/** `--state-dir`, else `.runbook` under the working directory (SPEC "State"). */
export function stateDirOf(option: string | undefined, cwd: string): string {
  return resolve(cwd, option ?? '.runbook');
}
