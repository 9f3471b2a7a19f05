import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { CommandIO } from '../commands/io.js';

/**
 * The process's IO for commands. Ctrl-C aborts the signal once (the run stops new work, kills
 * running commands and rolls back); further Ctrl-C only say that the rollback is going on,
 * because abandoning it half-way is the one thing worse than waiting.
 */
export function processIO(): CommandIO {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (!controller.signal.aborted) {
      process.stderr.write('\ninterrupted: stopping, then rolling back what changed (exit 130)\n');
      controller.abort();
    } else {
      process.stderr.write('\nrollback in progress; it must finish to leave the hosts as they were\n');
    }
  });
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
