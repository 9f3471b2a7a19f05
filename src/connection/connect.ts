import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Host } from '../inventory/types.js';
import type { Connection } from './connection.js';
import { connectLocal } from './local.js';
import { type SshOptions, connectSsh } from './ssh.js';

/** ~/.ssh/known_hosts: where ssh itself looks when nothing else is configured. */
export function defaultKnownHostsFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.RUNBOOK_KNOWN_HOSTS || join(homedir(), '.ssh', 'known_hosts');
}

/**
 * Opens the connection a host asks for: local for ansible_connection=local, else SSH with the
 * host's known_hosts file and policy (from the inventory), overridable through `ssh`.
 */
export function connectHost(host: Host, ssh: Partial<SshOptions> = {}): Promise<Connection> {
  if (host.connection === 'local') return connectLocal(host);
  return connectSsh(host, {
    knownHostsFile: host.knownHostsFile ?? defaultKnownHostsFile(),
    hostKeyPolicy: host.hostKeyPolicy ?? 'strict',
    ...ssh,
  });
}
