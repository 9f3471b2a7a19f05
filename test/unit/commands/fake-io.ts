import type { CommandIO } from '../../../src/app/io.js';

/** A CommandIO that records what a command prints. */
export function fakeIO(cwd: string): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    cwd,
    env: {},
    out: (...lines) => stdout.push(...lines),
    err: (...lines) => stderr.push(...lines),
    interactive: false,
    color: false,
    signal: new AbortController().signal,
    stdout,
    stderr,
  };
}
