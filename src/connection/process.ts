import type { Readable, Writable } from 'node:stream';
import type { CommandResult, ExecOptions, StreamingCommand } from './connection.js';

/** A started shell command as a transport sees it (an SSH channel or a local child proc). */
export interface StartedProcess {
  stdin: Writable;
  /** Standard output with any transport header already stripped. */
  stdout: Readable;
  stderr: Readable;
  /** Resolves with the exit code (null when killed by a signal) once the streams are closed. */
  closed: Promise<number | null>;
  /** The process-group id to kill on timeout or abort; undefined when it cannot be known. */
  pgid: Promise<number | undefined>;
  /** Last resort when the group cannot be killed: drop the channel or the child. */
  destroy(): void;
}

/** What a transport provides to run commands the same way over SSH and locally. */
export interface Transport {
  /** Starts the fully wrapped command. */
  start(payload: string): Promise<StartedProcess>;
  /** Kills a process group (TERM, grace, KILL); `become` when it runs as root through sudo. */
  killGroup(pgid: number, become: boolean): Promise<void>;
}

/** How long we wait for streams to close after killing, before dropping the channel. */
const CLOSE_GRACE_MS = 5_000;
/** How much of stderr a streaming command keeps for its result. */
const TAIL_BYTES = 64 * 1024;

type Stop = 'timeout' | 'abort' | undefined;

/**
 * Watches a started process for the caller's timeout and abort signal. Either one kills the
 * remote process group (so grandchildren die too) and the outcome says which one it was.
 */
async function supervise(
  transport: Transport,
  proc: StartedProcess,
  options: Pick<ExecOptions, 'timeoutMs' | 'signal' | 'become'>,
): Promise<{ exitCode: number | null; stop: Stop }> {
  let stop: Stop;
  let killed: (done: Promise<void>) => void = () => undefined;
  // Settles once a stop has run its (bounded) kill: a channel the server keeps open must not hold us.
  const killing = new Promise<Promise<void>>((resolve) => (killed = resolve)).then((p) => p);
  const trigger = (why: Exclude<Stop, undefined>): void => {
    if (stop) return;
    stop = why;
    killed(killProcess(transport, proc, options.become ?? false));
  };
  const timer = options.timeoutMs !== undefined ? setTimeout(() => trigger('timeout'), options.timeoutMs) : undefined;
  const onAbort = (): void => trigger('abort');
  if (options.signal?.aborted) trigger('abort');
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const exitCode = await Promise.race([proc.closed, killing.then(() => null)]);
    if (stop) await killing;
    return { exitCode: stop ? null : exitCode, stop };
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Kills the group if known; if that cannot happen soon (e.g. no free session on the server for
 * the kill command) or the streams stay open, drops the channel so the caller is not held up.
 * A kill still waiting for a session goes on in the background once the drop frees one.
 */
async function killProcess(transport: Transport, proc: StartedProcess, become: boolean): Promise<void> {
  const pgid = await Promise.race([proc.pgid, delay(CLOSE_GRACE_MS).then(() => undefined)]);
  if (pgid === undefined) return proc.destroy();
  const killed = transport.killGroup(pgid, become).then(
    () => true,
    () => true,
  );
  if (!(await Promise.race([killed, delay(CLOSE_GRACE_MS).then(() => false)]))) return proc.destroy();
  const closed = await Promise.race([proc.closed.then(() => true, () => true), delay(CLOSE_GRACE_MS).then(() => false)]);
  if (!closed) proc.destroy();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Output being collected: every byte once the stream ends, or what came so far. */
interface Collected {
  ended: Promise<void>;
  bytes(): Buffer;
}

/** Collects every byte of a stream (exec results must be exact for `register`). */
function collect(stream: Readable): Collected {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve) => {
    for (const event of ['end', 'close', 'error']) stream.on(event, () => resolve());
  });
  return { ended, bytes: () => Buffer.concat(chunks) };
}

/** Waits for the output to end; after a stop, only briefly (a stuck channel may never end). */
async function settle(outputs: Collected[], stopped: boolean): Promise<void> {
  const all = Promise.all(outputs.map((o) => o.ended)).then(() => undefined);
  await (stopped ? Promise.race([all, delay(200)]) : all);
}

/** Keeps the last {@link TAIL_BYTES} of a stream. */
function tail(stream: Readable): Collected {
  let kept = Buffer.alloc(0);
  stream.on('data', (chunk: Buffer) => {
    kept = Buffer.concat([kept, chunk]);
    if (kept.length > TAIL_BYTES) kept = kept.subarray(kept.length - TAIL_BYTES);
  });
  const ended = new Promise<void>((resolve) => {
    for (const event of ['end', 'close', 'error']) stream.on(event, () => resolve());
  });
  return { ended, bytes: () => kept };
}

/** Runs a wrapped command to completion with stdin, full output capture, timeout and abort. */
export async function runToCompletion(transport: Transport, command: string, payload: string, options: ExecOptions): Promise<CommandResult> {
  const started = Date.now();
  const proc = await transport.start(payload);
  const stdout = collect(proc.stdout);
  const stderr = collect(proc.stderr);
  // A broken stdin (command exited without reading it) is not an error of the command.
  proc.stdin.on('error', () => undefined);
  proc.stdin.end(options.stdin ?? undefined);
  const { exitCode, stop } = await supervise(transport, proc, options);
  await settle([stdout, stderr], stop !== undefined);
  return {
    command,
    exitCode,
    stdout: stdout.bytes().toString('utf8'),
    stderr: stderr.bytes().toString('utf8'),
    durationMs: Date.now() - started,
    timedOut: stop === 'timeout',
    aborted: stop === 'abort',
  };
}

/**
 * Starts a wrapped command and hands its stdin and stdout to the caller, so that data flows
 * with backpressure and constant memory. `done` carries the exit code and a stderr tail;
 * stdout in the result is empty because the caller consumed it.
 */
export async function runStreaming(transport: Transport, command: string, payload: string, options: Omit<ExecOptions, 'stdin'>): Promise<StreamingCommand> {
  const started = Date.now();
  const proc = await transport.start(payload);
  const stderr = tail(proc.stderr);
  proc.stdin.on('error', () => undefined);
  const done = supervise(transport, proc, options).then(async ({ exitCode, stop }) => ({
    command,
    exitCode,
    stdout: '',
    stderr: await settle([stderr], stop !== undefined).then(() => stderr.bytes().toString('utf8')),
    durationMs: Date.now() - started,
    timedOut: stop === 'timeout',
    aborted: stop === 'abort',
  }));
  return { stdin: proc.stdin, stdout: proc.stdout, done };
}
