import { PassThrough, Readable } from 'node:stream';
import type { CommandResult, Connection, StreamingCommand } from '../../../src/connection/connection.js';
import type { Host } from '../../../src/inventory/types.js';
import type { ModuleContext } from '../../../src/modules/module.js';

/** A canned answer: for the first command that equals `command` (or starts with it, or matches it). */
export interface Answer {
  command: string | RegExp;
  stdout?: string;
  exitCode?: number;
}

/** What a test gets: the context to hand a module, and what the module ran. */
export interface FakeHost {
  ctx: ModuleContext;
  /** Every command, in order. */
  commands: string[];
  /** The stdin of every command (undefined when none), same order. */
  stdins: (string | Buffer | undefined)[];
}

const host: Host = { name: 'h1', address: 'h1', port: 22, user: 'root', become: false, connection: 'ssh', groups: [], vars: {} };

/** Answers that let exactly these commands succeed with no output: the mutating commands a test expects. */
export function succeeding(...commands: ReadonlyArray<ReadonlyArray<string | RegExp> | undefined>): Answer[] {
  return commands.flatMap((list) => list ?? []).map((command) => ({ command }));
}

function matches(answer: Answer, command: string): boolean {
  return typeof answer.command === 'string' ? command === answer.command || command.startsWith(answer.command) : answer.command.test(command);
}

/**
 * A scripted host, pyinfra style: facts in (canned answers by command), commands out (recorded).
 * A command without an answer throws: a test scripts every command the module may run, so a
 * module that runs something new (or runs it differently) fails its test instead of being told
 * it succeeded. Each call makes a new connection, so per-connection caches start empty.
 */
export function fakeHost(answers: readonly Answer[] = []): FakeHost {
  const commands: string[] = [];
  const stdins: (string | Buffer | undefined)[] = [];
  const exec = async (command: string, options?: { stdin?: string | Buffer }): Promise<CommandResult> => {
    commands.push(command);
    stdins.push(options?.stdin);
    const answer = answers.find((a) => matches(a, command));
    if (!answer) throw new Error(`the fake host has no answer scripted for: ${command}`);
    const exitCode = answer.exitCode ?? 0;
    return { command, exitCode, stdout: answer.stdout ?? '', stderr: exitCode === 0 ? '' : 'failed', durationMs: 1, timedOut: false, aborted: false };
  };
  const connection: Connection = {
    host: host.name,
    exec,
    stream: () => Promise.reject(new Error('no streams on the fake host')),
    close: () => Promise.resolve(),
  };
  const signal = new AbortController().signal;
  const ctx: ModuleContext = {
    host,
    exec,
    cleanup: (command) => exec(command),
    options: { signal },
    connection,
    connectionTo: () => Promise.reject(new Error('no other hosts')),
    signal,
    runId: 'r1',
    taskKey: 'step',
  };
  return { ctx, commands, stdins };
}

/**
 * A fake host that also receives streams (a fetched backup, a transfer's destination): each
 * stream takes whatever is written to it and succeeds; `connectionTo` reaches `other`.
 */
export function receivingHost(answers: readonly Answer[], other: Connection): FakeHost {
  const host = fakeHost(answers);
  const connection: Connection = {
    ...host.ctx.connection,
    stream: async (command): Promise<StreamingCommand> => {
      host.commands.push(command);
      const stdin = new PassThrough();
      stdin.resume();
      const done = new Promise<CommandResult>((resolve) =>
        stdin.on('finish', () => resolve({ command, exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false, aborted: false })),
      );
      return { stdin, stdout: Readable.from([]), done };
    },
  };
  return { ...host, ctx: { ...host.ctx, connection, connectionTo: async () => other } };
}
