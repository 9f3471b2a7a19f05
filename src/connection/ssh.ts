import { NodeSSH } from 'node-ssh';
import type { Ssh2Channel as ClientChannel, Ssh2Client as Client } from './ssh2-types.js';
import { HostError } from '../diagnostics/diagnostic.js';
import type { Host, HostKeyPolicy } from '../inventory/types.js';
import type { Connection, ExecOptions } from './connection.js';
import { type HostKeyCheck, prepareHostKeyCheck } from './host-key-check.js';
import { PgidSplitter } from './pgid.js';
import { type StartedProcess, type Transport, runStreaming, runToCompletion } from './process.js';
import { shellQuote } from './quote.js';
import { Semaphore } from './semaphore.js';
import { sshCredentials } from './ssh-auth.js';
import { killGroupCommand, sessionCommand, wrapCommand } from './wrap.js';

export interface SshOptions {
  /** known_hosts file the host key is verified against (and appended to under accept-new). */
  knownHostsFile: string;
  hostKeyPolicy: HostKeyPolicy;
  /** TCP connect + handshake + authentication, default 20 s. */
  connectTimeoutMs?: number;
  /** SSH keepalive interval, default 15 s; three missed answers drop the connection. */
  keepaliveIntervalMs?: number;
  /** Concurrent command channels, default 8: below sshd's MaxSessions (10), with room for kills. */
  maxChannels?: number;
  /** ssh-agent socket; default SSH_AUTH_SOCK. Pass '' to not use an agent. */
  agent?: string;
}

/** Channels reserved for killing timed-out commands, so a kill never waits behind its own victim. */
const KILL_CHANNELS = 2;

/**
 * Opens the one SSH connection to `host` for the whole run. The host key is verified against
 * known_hosts before authentication; failures are HostErrors tagged connect, auth or hostkey.
 */
export async function connectSsh(host: Host, options: SshOptions): Promise<Connection> {
  const check = await prepareHostKeyCheck({
    host: host.name,
    address: host.address,
    port: host.port,
    knownHostsFile: options.knownHostsFile,
    policy: options.hostKeyPolicy,
  });
  const credentials = await sshCredentials(host, options.agent ?? process.env.SSH_AUTH_SOCK);
  const ssh = new NodeSSH();
  try {
    await ssh.connect({
      host: host.address,
      port: host.port,
      username: host.user,
      ...(credentials.privateKey ? { privateKey: credentials.privateKey.toString('utf8') } : {}),
      ...(credentials.agent ? { agent: credentials.agent } : {}),
      readyTimeout: options.connectTimeoutMs ?? 20_000,
      keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: 3,
      algorithms: { serverHostKey: check.algorithms as never },
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => check.verify(key, verify),
    });
  } catch (error) {
    ssh.dispose();
    throw classifyConnectError(host, error, check, credentials.described);
  }
  const client = ssh.connection as Client | null;
  if (!client) throw new HostError(host.name, 'connect', `${host.name}: connection closed right after it opened`);
  return sshConnection(host, client, options.maxChannels ?? 8);
}

/** Maps ssh2's errors to the stage they belong to, with a message naming the host. */
function classifyConnectError(host: Host, error: unknown, check: HostKeyCheck, credentials: string): HostError {
  if (check.failure) return check.failure;
  if (error instanceof HostError) return error;
  const e = error as { message?: string; level?: string; code?: string };
  const where = `${host.user}@${host.address}:${host.port}`;
  const message = e.message ?? String(error);
  if (e.level === 'client-authentication' || /Cannot parse privateKey|passphrase/i.test(message)) {
    return new HostError(host.name, 'auth', `${host.name}: authentication as ${where} failed with ${credentials}: ${message}`);
  }
  if (e.level === 'client-timeout' || e.code === 'ETIMEDOUT') {
    return new HostError(host.name, 'connect', `${host.name}: timed out connecting to ${where}: ${message}`);
  }
  return new HostError(host.name, 'connect', `${host.name}: cannot connect to ${where}: ${e.code ? `${e.code} ` : ''}${message}`);
}

/** The Connection over an authenticated ssh2 client. */
function sshConnection(host: Host, client: Client, maxChannels: number): Connection {
  let lost: string | undefined;
  // After 'ready' node-ssh no longer listens for errors; an unhandled 'error' would crash the run.
  client.on('error', (error: Error) => (lost = error.message));
  client.on('close', () => (lost ??= 'connection closed'));
  const transport = sshTransport(host, client, new Semaphore(maxChannels), new Semaphore(KILL_CHANNELS), () => lost);
  const context = { user: host.user };
  return {
    host: host.name,
    exec: (command: string, options: ExecOptions = {}) => runToCompletion(transport, command, wrapCommand(command, options, context), options),
    stream: (command, options = {}) => runStreaming(transport, command, wrapCommand(command, options, context), options),
    close: () => {
      lost ??= 'connection closed by runbook';
      client.end();
      return Promise.resolve();
    },
  };
}

function sshTransport(host: Host, client: Client, channels: Semaphore, kills: Semaphore, lost: () => string | undefined): Transport {
  return {
    start: async (payload) => {
      const release = await channels.acquire();
      try {
        return await openChannel(host, client, sessionCommand(payload), release, lost());
      } catch (error) {
        release();
        throw error;
      }
    },
    killGroup: async (pgid, become) => {
      const release = await kills.acquire();
      const kill = killGroupCommand(pgid);
      const command = become && host.user !== 'root' ? `sudo -n sh -c ${shellQuote(kill)}` : kill;
      try {
        const started = await openChannel(host, client, command, release, lost());
        started.stdin.end();
        started.stdout.resume();
        started.stderr.resume();
        await started.closed;
      } catch {
        release();
      }
    },
  };
}

/** Opens one exec channel; the slot is released when the channel closes. */
function openChannel(host: Host, client: Client, command: string, release: () => void, lost: string | undefined): Promise<StartedProcess> {
  if (lost) return Promise.reject(new HostError(host.name, 'channel', `${host.name}: ${lost}`));
  return new Promise((resolve, reject) => {
    client.exec(command, (error: Error | undefined, channel: ClientChannel) => {
      if (error) return reject(new HostError(host.name, 'channel', `${host.name}: cannot open a channel: ${error.message}`));
      resolve(channelProcess(channel, release));
    });
  });
}

function channelProcess(channel: ClientChannel, release: () => void): StartedProcess {
  let exitCode: number | null = null;
  channel.on('exit', (code: number | null) => (exitCode = typeof code === 'number' ? code : null));
  const closed = new Promise<number | null>((resolve) =>
    channel.on('close', () => {
      release();
      resolve(exitCode);
    }),
  );
  const stdout = new PgidSplitter();
  channel.pipe(stdout);
  return { stdin: channel, stdout, stderr: channel.stderr, closed, pgid: stdout.pgid, destroy: () => channel.close() };
}
