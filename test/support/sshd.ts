import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Host } from '../../src/inventory/types.js';

/** A throwaway OpenSSH server on 127.0.0.1 with its own host key and one authorised client key. */
export interface SshdFixture {
  port: number;
  /** Temp directory with keys, config and logs; removed by stop(). */
  dir: string;
  /** One plain line: `[127.0.0.1]:PORT ssh-ed25519 KEY`. */
  knownHostsFile: string;
  /** The server's public host key line (`ssh-ed25519 KEY`). */
  hostPublicKey: string;
  clientKeyFile: string;
  /** A Host for this server: the current user, the client key, the known_hosts file. */
  host: Host;
  /** What sshd wrote to stderr so far (for failing tests). */
  log(): string;
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Host name in the returned Host (default `sshd-PORT`). */
  name?: string;
  /** Extra sshd_config lines, e.g. `MaxSessions 4`. */
  config?: string[];
}

function keygen(file: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'runbook-test', '-f', file], { stdio: 'ignore' });
}

/** A port that was free a moment ago (sshd binding it can still race; start retries). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function sshdConfig(dir: string, port: number, extra: string[]): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'LogLevel INFO',
    ...extra,
    '',
  ].join('\n');
}

/** Starts sshd -D and resolves once it listens; rejects with its log if it exits first. */
function launch(config: string, port: number, onLog: (text: string) => void): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`sshd did not start on ${port}:\n${log}`)), 10_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      onLog(chunk.toString());
      if (log.includes(`Server listening on 127.0.0.1 port ${port}`)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${code} before listening:\n${log}`));
    });
  });
}

/** Starts one sshd with fresh host and client keys (needs /usr/sbin/sshd and ssh-keygen). */
export async function startSshd(options: SshdOptions = {}): Promise<SshdFixture> {
  // sshd's privilege separation directory; only root can create it, and only root needs it.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(join(tmpdir(), 'runbook-sshd-'));
  keygen(join(dir, 'host_ed25519'));
  keygen(join(dir, 'client_ed25519'));
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'client_ed25519.pub')));
  let output = '';
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; !child; attempt++) {
    port = await freePort();
    await writeFile(join(dir, 'sshd_config'), sshdConfig(dir, port, options.config ?? []));
    try {
      child = await launch(join(dir, 'sshd_config'), port, (t) => (output += t));
    } catch (error) {
      if (attempt >= 2) throw error;
    }
  }
  const hostPublicKey = (await readFile(join(dir, 'host_ed25519.pub'), 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ');
  const knownHostsFile = join(dir, 'known_hosts');
  await writeFile(knownHostsFile, `[127.0.0.1]:${port} ${hostPublicKey}\n`);
  const clientKeyFile = join(dir, 'client_ed25519');
  const running = child;
  return {
    port,
    dir,
    knownHostsFile,
    hostPublicKey,
    clientKeyFile,
    host: {
      name: options.name ?? `sshd-${port}`,
      address: '127.0.0.1',
      port,
      user: userInfo().username,
      privateKeyFile: clientKeyFile,
      become: false,
      connection: 'ssh',
      groups: [],
      vars: {},
      knownHostsFile,
      hostKeyPolicy: 'strict',
    },
    log: () => output,
    stop: async () => {
      if (running.exitCode === null) {
        const exited = new Promise((resolve) => running.once('exit', resolve));
        running.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts `count` sshds in parallel (named h1..hN unless names are given). */
export async function startSshds(count: number, names?: string[]): Promise<SshdFixture[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => startSshd({ name: names?.[i] ?? `h${i + 1}` })));
}
