import { HostError } from '../diagnostics/diagnostic.js';
import type { Host } from '../inventory/types.js';
import type { Connection } from './connection.js';
import { connectHost } from './connect.js';
import { Semaphore } from './semaphore.js';

/**
 * Opens a connection to one host; throws HostError on failure. `signal` aborts an attempt still
 * in progress (the pool closes before it was needed). Injected by tests.
 */
export type ConnectFn = (host: Host, signal: AbortSignal) => Promise<Connection>;

export interface PoolOptions {
  /** Defaults to {@link connectHost} (ssh or local, as the host says). */
  connect?: ConnectFn;
  /** How many connections are being opened at once (default 20, like --forks). */
  concurrency?: number;
}

/**
 * One connection per host for the whole run. Connections open lazily on `get`, or all up front
 * with `openAll` so that an unreachable host is reported before anything has changed. `prefetch`
 * starts attempts early without reporting anything: their outcome waits for `openAll` or `get`.
 */
export class ConnectionPool {
  private readonly connect: ConnectFn;
  private readonly connecting: Semaphore;
  private readonly hosts = new Map<string, Host>();
  /** Attempts in flight or succeeded; a failed one stays until someone has seen it fail. */
  private readonly open = new Map<string, Promise<Connection>>();
  private readonly closing = new AbortController();

  constructor(options: PoolOptions = {}) {
    this.connect = options.connect ?? ((host, signal) => connectHost(host, { signal }));
    this.connecting = new Semaphore(Math.max(1, options.concurrency ?? 20));
  }

  /**
   * Starts connecting to these hosts now and returns at once. Nothing is reported: a failure is
   * kept for the `openAll` or `get` that asks for the host (so a validation error found in the
   * meantime is never preceded by a connection error), and `closeAll` gives up what is in flight.
   */
  prefetch(hosts: readonly Host[]): void {
    for (const host of hosts) void this.attempt(host);
  }

  /**
   * Connects to every host (reusing attempts already made), at most `concurrency` at a time,
   * and returns the failures in the order of `hosts` (empty when every host is reachable).
   * Hosts that connected stay open in the pool; a failed one is tried again by a later `get`.
   */
  async openAll(hosts: readonly Host[]): Promise<HostError[]> {
    const attempts = hosts.map((host) => this.attempt(host));
    const settled = await Promise.allSettled(attempts);
    const failures: HostError[] = [];
    settled.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') return;
      const host = hosts[i] as Host;
      this.forget(host.name, attempts[i] as Promise<Connection>);
      failures.push(asHostError(host.name, outcome.reason));
    });
    return failures;
  }

  /** Registers hosts so that `get(name)` can open them lazily. */
  add(hosts: readonly Host[]): void {
    for (const host of hosts) this.hosts.set(host.name, host);
  }

  /** The host's connection, opened now if needed; a failed attempt is retried on the next call. */
  get(hostName: string): Promise<Connection> {
    const host = this.hosts.get(hostName);
    const existing = this.open.get(hostName);
    if (!existing && !host) return Promise.reject(new HostError(hostName, 'connect', `host ${hostName} is not in the connection pool`));
    const attempt = existing ?? this.attempt(host as Host);
    return attempt.catch((error: unknown) => {
      this.forget(hostName, attempt);
      throw error;
    });
  }

  /**
   * Gives up the attempts still in progress and closes every open connection; failures to
   * close are ignored (the run is over).
   */
  async closeAll(): Promise<void> {
    this.closing.abort();
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((p) => p.then((c) => c.close()).catch(() => undefined)));
  }

  /** The host's attempt, started if there is none; it never rejects unobserved. */
  private attempt(host: Host): Promise<Connection> {
    this.hosts.set(host.name, host);
    const existing = this.open.get(host.name);
    if (existing) return existing;
    const opening = this.connectLimited(host);
    opening.catch(() => undefined);
    this.open.set(host.name, opening);
    return opening;
  }

  private async connectLimited(host: Host): Promise<Connection> {
    const release = await this.connecting.acquire();
    try {
      if (this.closing.signal.aborted) throw new HostError(host.name, 'connect', `${host.name}: the run ended before it connected`);
      return await this.connect(host, this.closing.signal);
    } catch (error) {
      throw asHostError(host.name, error);
    } finally {
      release();
    }
  }

  /** Drops a failed attempt, unless another one replaced it meanwhile. */
  private forget(hostName: string, attempt: Promise<Connection>): void {
    if (this.open.get(hostName) === attempt) this.open.delete(hostName);
  }
}

/** The one place unknown connect failures become HostErrors (stage connect). */
function asHostError(host: string, error: unknown): HostError {
  if (error instanceof HostError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new HostError(host, 'connect', `${host}: ${message}`);
}
