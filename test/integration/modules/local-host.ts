import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connectLocal } from '../../../src/connection/local.js';
import type { Connection } from '../../../src/connection/connection.js';
import type { Host } from '../../../src/inventory/types.js';
import type { ModuleContext } from '../../../src/modules/module.js';

const host: Host = { name: 'local', address: 'localhost', port: 22, user: 'root', become: false, connection: 'local', groups: [], vars: {} };

/**
 * The module context the engine would give a task on an `ansible_connection: local` host:
 * a new connection each time (so per-connection caches start empty), with `env` applied to
 * every command as a step's `env:` would be.
 */
export async function localContext(options: { env?: Record<string, string>; taskKey?: string } = {}): Promise<{ ctx: ModuleContext; connection: Connection }> {
  const connection = await connectLocal(host);
  const signal = new AbortController().signal;
  const ctx: ModuleContext = {
    host,
    connection,
    connectionTo: async () => connection,
    exec: (command, opts) => connection.exec(command, { signal, ...(options.env ? { env: options.env } : {}), ...opts }),
    cleanup: (command) => connection.exec(command),
    options: { signal },
    signal,
    runId: 'r1',
    taskKey: options.taskKey ?? 'step',
  };
  return { ctx, connection };
}

/** Octal permission bits of a path (with setuid/setgid/sticky), e.g. `2750`. */
export const modeOf = (path: string): string => (statSync(path).mode & 0o7777).toString(8);

/** Names in a directory, sorted: to see that no aside copy or temporary is left behind. */
export const namesIn = (dir: string): string[] => readdirSync(dir).sort();

/** Joins under a test directory. */
export const under = (dir: string, ...parts: string[]): string => join(dir, ...parts);
