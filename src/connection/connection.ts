import type { Readable, Writable } from 'node:stream';

/** The outcome of one command. A non-zero exit is data, not an exception. */
export interface CommandResult {
  /** The command as the user wrote it (before become/env/cwd wrapping). */
  command: string;
  /** null when the command was killed by a signal or by our timeout. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** True when our timeout stopped it (the remote process group was killed). */
  timedOut: boolean;
  /** True when the caller's AbortSignal stopped it (the remote process group was killed). */
  aborted: boolean;
}

export interface ExecOptions {
  /** Run through `sudo -n` as root. */
  become?: boolean;
  /** Put into the command itself (sshd drops channel env requests). */
  env?: Record<string, string>;
  cwd?: string;
  /** Milliseconds; on expiry the remote process group is killed and `timedOut` is set. */
  timeoutMs?: number;
  /** On abort the remote process group is killed and `aborted` is set. */
  signal?: AbortSignal;
  /** Bytes written to the command's standard input, then closed. */
  stdin?: string | Buffer;
}

/** A command whose standard streams the caller drives (for transfers). */
export interface StreamingCommand {
  stdin: Writable;
  stdout: Readable;
  /** Resolves when the command exits; stdout/stderr in the result are tails only. */
  done: Promise<CommandResult>;
}

/**
 * One open connection to one host, kept for the whole run. Commands go through `sh -c` on
 * the host; concurrent calls are allowed and queued below the server's session limit.
 */
export interface Connection {
  readonly host: string;
  exec(command: string, options?: ExecOptions): Promise<CommandResult>;
  /** Starts a command and hands over its streams; used for host-to-host transfer. */
  stream(command: string, options?: Omit<ExecOptions, 'stdin'>): Promise<StreamingCommand>;
  close(): Promise<void>;
}
