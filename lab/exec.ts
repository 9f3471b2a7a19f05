import { spawn } from 'node:child_process';

/** The outcome of one local command; a non-zero exit is data. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Receives stdout chunks instead of collecting them (for large dumps). */
  onStdout?: (chunk: Buffer) => void;
}

/** Runs a program without a shell and collects its output. */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ? { ...process.env, ...options.env } : process.env,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    if (options.timeoutMs) timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.on('data', (c: Buffer) => (options.onStdout ? options.onStdout(c) : out.push(c)));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolvePromise({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.on('error', () => undefined); // the program may exit before reading it all
    child.stdin.end(options.input ?? '');
  });
}

/** Runs a program and throws with its stderr when it fails: for the lab's own setup steps. */
export async function mustRun(file: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const r = await run(file, args, options);
  if (r.code !== 0) {
    const what = [file, ...args].join(' ');
    throw new Error(`lab: ${what.slice(0, 300)} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(-2000)}`);
  }
  return r.stdout;
}

/** Runs `sh -c script` inside the mount and UTS namespaces of process `pid` (a lab host). */
export function inHost(pid: number, script: string, options: RunOptions = {}): Promise<RunResult> {
  return run('nsenter', ['-t', String(pid), '-m', '-u', '--', '/bin/sh', '-c', script], options);
}

export async function mustInHost(pid: number, script: string, options: RunOptions = {}): Promise<string> {
  const r = await inHost(pid, script, options);
  if (r.code !== 0) {
    throw new Error(`lab: on host (pid ${pid}): ${script.slice(0, 300)} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(-2000)}`);
  }
  return r.stdout;
}

/** Maps over items with at most `limit` promises at once, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
