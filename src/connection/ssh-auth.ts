import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HostError } from '../diagnostics/diagnostic.js';
import type { Host } from '../inventory/types.js';

/** The credentials ssh2 gets: a private key, an agent socket, or both (key tried first). */
export interface SshCredentials {
  privateKey?: Buffer;
  agent?: string;
  /** Where the key came from, for messages. */
  described: string;
}

/** Keys ssh itself tries when nothing else is configured. */
const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/**
 * The host's ansible_ssh_private_key_file if set (it must be readable); otherwise the agent from
 * `agent` (default SSH_AUTH_SOCK) plus the first default key in ~/.ssh that exists.
 */
export async function sshCredentials(host: Host, agent: string | undefined, home: string = homedir()): Promise<SshCredentials> {
  if (host.privateKeyFile) {
    const privateKey = await readFile(host.privateKeyFile).catch((error: NodeJS.ErrnoException) => {
      throw new HostError(host.name, 'auth', `${host.name}: cannot read private key ${host.privateKeyFile} (ansible_ssh_private_key_file): ${error.code ?? error.message}`);
    });
    return { privateKey, described: `key ${host.privateKeyFile}` };
  }
  const found: SshCredentials = { described: '' };
  const parts: string[] = [];
  if (agent) {
    found.agent = agent;
    parts.push(`ssh-agent ${agent}`);
  }
  for (const name of DEFAULT_KEYS) {
    const file = join(home, '.ssh', name);
    const key = await readFile(file).catch(() => undefined);
    if (key) {
      found.privateKey = key;
      parts.push(`key ${file}`);
      break;
    }
  }
  if (parts.length === 0) {
    throw new HostError(host.name, 'auth', `${host.name}: no credentials: set ansible_ssh_private_key_file, start ssh-agent (SSH_AUTH_SOCK), or create ~/.ssh/id_ed25519`);
  }
  found.described = parts.join(' and ');
  return found;
}
