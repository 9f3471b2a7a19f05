import { HostError } from '../diagnostics/diagnostic.js';
import type { Host } from '../inventory/types.js';
import type { Connection } from './connection.js';
import { connectHost } from './connect.js';

/** Opens a connection to one host; throws HostError on failure. Injected by tests. */
export type ConnectFn = (host: Host) => Promise<Connection>;

export interface PoolOptions {
  /** Defaults to {@link connectHost} (ssh or local, as the host says). */
  connect?: ConnectFn;
  /** How many connections `openAll` opens at once (default 20, like --forks). */
  concurrency?: number;
}

/**
 * One connection per host for the whole run. Connections open lazily on `get`, or all up front
 * with `openAll` so that an unreachable host is reported before anything has changed.
 */
export class ConnectionPool {
  private readonly connect: ConnectFn;
  private readonly concurrency: number;
  private readonly hosts = new Map<string, Host>();
  private readonly open = new Map<string, Promise<Connection>>();

  constructor(options: PoolOptions = {}) {
    this.connect = options.connect ?? ((host) => connectHost(host));
    this.concurrency = Math.max(1, options.concurrency ?? 20);
  }

  /**
   * Connects to every host, at most `concurrency` at a time, and returns the failures (empty
   * when every host is reachable). Hosts that connected stay open in the pool.
   */
  async openAll(hosts: readonly Host[]): Promise<HostError[]> {
    const failures: HostError[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < hosts.length) {
        const host = hosts[next++] as Host;
        try {
          await this.connectOnce(host);
        } catch (error) {
          failures.push(asHostError(host.name, error));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, hosts.length) }, worker));
    // Report in inventory order, whatever order the connects finished in.
    const order = new Map(hosts.map((h, i) => [h.name, i]));
    return failures.sort((a, b) => (order.get(a.host) ?? 0) - (order.get(b.host) ?? 0));
  }

  /** Registers hosts so that `get(name)` can open them lazily. */
  add(hosts: readonly Host[]): void {
    for (const host of hosts) this.hosts.set(host.name, host);
  }

  /** The host's connection, opened now if needed; a failed attempt is retried on the next call. */
  get(hostName: string): Promise<Connection> {
    const existing = this.open.get(hostName);
    if (existing) return existing;
    const host = this.hosts.get(hostName);
    if (!host) return Promise.reject(new HostError(hostName, 'connect', `host ${hostName} is not in the connection pool`));
    return this.connectOnce(host);
  }

  /** Closes every open connection; failures to close are ignored (the run is over). */
  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((p) => p.then((c) => c.close()).catch(() => undefined)));
  }

  private connectOnce(host: Host): Promise<Connection> {
    this.hosts.set(host.name, host);
    const existing = this.open.get(host.name);
    if (existing) return existing;
    const opening = this.connect(host).catch((error: unknown) => {
      this.open.delete(host.name);
      throw asHostError(host.name, error);
    });
    this.open.set(host.name, opening);
    return opening;
  }
}

/** The one place unknown connect failures become HostErrors (stage connect). */
function asHostError(host: string, error: unknown): HostError {
  if (error instanceof HostError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new HostError(host, 'connect', `${host}: ${message}`);
}
