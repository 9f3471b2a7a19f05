import { createRequire } from 'node:module';
import { ChannelOpener, ChannelRefused } from './ssh-channels.js';
import type { Ssh2Client as Client, Ssh2Connecting, Ssh2Module } from './ssh2-types.js';
import { HostError } from '../diagnostics/diagnostic.js';
import type { Host, HostKeyPolicy } from '../inventory/types.js';
import type { Connection, ExecOptions } from './connection.js';
import { type HostKeyCheck, prepareHostKeyCheck } from './host-key-check.js';
import { type StartedProcess, type Transport, runStreaming, runToCompletion } from './process.js';
import { Semaphore } from './semaphore.js';
import { sshCredentials } from './ssh-auth.js';
import { killGroupCommand, onHost, sessionCommand, wrapCommand } from './wrap.js';

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
  /** Gives up a connection attempt still in progress (the socket is destroyed, the promise rejects). */
  signal?: AbortSignal;
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
  const config = {
    host: host.address,
    port: host.port,
    username: host.user,
    ...(credentials.privateKey ? { privateKey: credentials.privateKey } : {}),
    ...(credentials.agent ? { agent: credentials.agent } : {}),
    readyTimeout: options.connectTimeoutMs ?? 20_000,
    keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
    keepaliveCountMax: 3,
    algorithms: { serverHostKey: check.algorithms as never },
    hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => check.verify(key, verify),
    // ssh2 starts with `none`, which costs a round trip to learn what every server answers;
    // the key, then the agent, then `none` last (a server that lets anyone in).
    authHandler: ['publickey', 'agent', 'none'],
  };
  const dial = async (signal?: AbortSignal): Promise<Dialed> => {
    const client = new (ssh2().Client)();
    try {
      await handshake(client, config, signal);
    } catch (error) {
      // ssh2 may still emit errors of the dead socket; with no listener they would crash the run.
      client.on('error', () => undefined);
      client.destroy();
      throw classifyConnectError(host, error, check, credentials.described);
    }
    return { client, close: () => client.end() };
  };
  const { client } = await dial(options.signal);
  return sshConnection(host, client, options.maxChannels ?? 8, () => dial());
}

/** ssh2 (CommonJS, no type declarations: ssh2-types.ts), loaded by the first SSH connect. */
let loaded: Ssh2Module | undefined;
function ssh2(): Ssh2Module {
  loaded ??= createRequire(import.meta.url)('ssh2') as Ssh2Module;
  return loaded;
}

/**
 * Connects, verifies the host key and authenticates; resolves on 'ready'. A close before that is
 * reported as ssh2 users know it ("No response from server", ETIMEDOUT), an abort as a cancel.
 */
function handshake(client: Ssh2Connecting, config: object, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: unknown): void => {
      client.removeListener('ready', ready);
      client.removeListener('error', settle);
      client.removeListener('close', closed);
      signal?.removeEventListener('abort', aborted);
      if (error === undefined) resolve();
      else reject(error);
    };
    const ready = (): void => settle();
    const closed = (): void => settle(Object.assign(new Error('No response from server'), { code: 'ETIMEDOUT' }));
    const aborted = (): void => settle(new Error('connection attempt given up (the run stopped before it was needed)'));
    if (signal?.aborted) return aborted();
    client.once('ready', ready);
    client.on('error', settle);
    client.once('close', closed);
    signal?.addEventListener('abort', aborted, { once: true });
    client.connect(config);
    // From the first packet on: each command is a few small packets each way, and with Nagle's
    // algorithm against the server's delayed ACK every one waited ~40 ms (50 ms per command
    // instead of 2 ms); the handshake's NEWKEYS and SERVICE_REQUEST, sent back to back, did too.
    client.setNoDelay(true);
  });
}

/** An authenticated client and how to let it go. */
interface Dialed {
  client: Client;
  close(): void;
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

/** The Connection over an authenticated ssh2 client; `dial` opens another (for kills). */
function sshConnection(host: Host, client: Client, maxChannels: number, dial: () => Promise<Dialed>): Connection {
  const opener = new ChannelOpener(host.name, client);
  // After 'ready' the handshake no longer listens for errors; an unhandled 'error' would crash the run.
  client.on('error', (error: Error) => opener.markLost(`connection lost: ${error.message}`));
  client.on('close', () => opener.markLost('connection closed'));
  const transport: Transport = {
    start: startOn(opener, new Semaphore(maxChannels)),
    killGroup: killOn(host, opener, new Semaphore(KILL_CHANNELS), dial),
  };
  const context = { user: host.user };
  return {
    host: host.name,
    exec: (command: string, given: ExecOptions = {}) => {
      const options = onHost(given, host);
      return runToCompletion(transport, command, wrapCommand(command, options, context), options);
    },
    stream: (command, given = {}) => {
      const options = onHost(given, host);
      return runStreaming(transport, command, wrapCommand(command, options, context), options);
    },
    close: () => {
      opener.markLost('connection closed by runbook');
      client.end();
      return Promise.resolve();
    },
  };
}

/** Starts wrapped commands in their own process group, at most `channels` at once. */
function startOn(opener: ChannelOpener, channels: Semaphore): Transport['start'] {
  return async (payload) => {
    const release = await channels.acquire();
    try {
      return await opener.start(sessionCommand(payload), release);
    } catch (error) {
      release();
      throw error;
    }
  };
}

/**
 * Kills a process group over a channel of the same connection; when the server has no session
 * left for it (MaxSessions below our cap, every session busy), over a second connection, since
 * the limit is per connection: a timeout must stop the command whatever the server's limits.
 */
function killOn(host: Host, opener: ChannelOpener, kills: Semaphore, dial: () => Promise<Dialed>): Transport['killGroup'] {
  return async (pgid, become) => {
    const command = wrapCommand(killGroupCommand(pgid), { become }, { user: host.user });
    const release = await kills.acquire();
    try {
      await runQuietly(await opener.start(command, release, false));
    } catch (error) {
      release();
      if (!(error instanceof ChannelRefused && error.refused)) return;
      const extra = await dial().catch(() => undefined);
      if (!extra) return;
      try {
        await runQuietly(await new ChannelOpener(host.name, extra.client).start(command, () => undefined));
      } catch {
        // nothing more we can do; the caller drops the channel
      } finally {
        extra.close();
      }
    }
  };
}

/** Runs a started helper command to its end, discarding its output. */
async function runQuietly(started: StartedProcess): Promise<void> {
  started.stdin.end();
  started.stdout.resume();
  started.stderr.resume();
  await started.closed;
}
