import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HostError } from '../diagnostics/diagnostic.js';
import type { HostKeyPolicy } from '../inventory/types.js';
import {
  type KnownHostEntry,
  fingerprint,
  keyTypeOf,
  knownHostsLine,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
  verifyHostKey,
} from './known-hosts.js';

/** ssh2's host key algorithms in its default order; the ones known for a host are moved first. */
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** The host key check of one connection attempt: what to offer, how to verify, what went wrong. */
export interface HostKeyCheck {
  /** Host key algorithms with those of already known keys first (as ssh orders them). */
  algorithms: string[];
  /** For ssh2's `hostVerifier` (raw key blob, async callback form). */
  verify(key: Buffer, done: (ok: boolean) => void): void;
  /** The refusal, once `verify` refused: ssh2's own error says only "verification failed". */
  readonly failure: HostError | undefined;
}

export interface HostKeyTarget {
  /** Host name in the inventory, for messages. */
  host: string;
  address: string;
  port: number;
  knownHostsFile: string;
  policy: HostKeyPolicy;
}

/** Reads known_hosts (a missing file is an empty one) and prepares the check for one host. */
export async function prepareHostKeyCheck(target: HostKeyTarget): Promise<HostKeyCheck> {
  const text = await readFile(target.knownHostsFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw new HostError(target.host, 'hostkey', `${target.host}: cannot read known_hosts ${target.knownHostsFile}: ${error.message}`);
  });
  const entries = parseKnownHosts(text);
  const name = knownHostsName(target.address, target.port);
  const check: { failure: HostError | undefined } & Omit<HostKeyCheck, 'failure'> = {
    failure: undefined,
    algorithms: orderAlgorithms(knownKeyTypes(entries, name)),
    verify: (key, done) => {
      decide(target, entries, name, key).then(
        () => done(true),
        (error: unknown) => {
          check.failure =
            error instanceof HostError
              ? error
              : new HostError(target.host, 'hostkey', `${target.host}: cannot record its host key in ${target.knownHostsFile}: ${String(error)}`);
          done(false);
        },
      );
    },
  };
  return check;
}

function orderAlgorithms(knownTypes: string[]): string[] {
  const preferred = HOST_KEY_ALGORITHMS.filter((a) => knownTypes.includes(a === 'rsa-sha2-512' || a === 'rsa-sha2-256' ? 'ssh-rsa' : a));
  return [...preferred, ...HOST_KEY_ALGORITHMS.filter((a) => !preferred.includes(a))];
}

/** Resolves when the key may be used (recording it under accept-new), rejects with the refusal. */
async function decide(target: HostKeyTarget, entries: KnownHostEntry[], name: string, key: Buffer): Promise<void> {
  const type = keyTypeOf(key);
  const verdict = verifyHostKey(entries, name, type, key);
  const file = target.knownHostsFile;
  const what = `${target.host} (${name}) presented ${type} key ${fingerprint(key)}`;
  switch (verdict.status) {
    case 'known':
      return;
    case 'revoked':
      throw new HostError(target.host, 'hostkey', `${what}, which is marked @revoked in ${file}:${verdict.line}; refusing to connect`);
    case 'changed':
      throw new HostError(
        target.host,
        'hostkey',
        `HOST KEY CHANGED for ${target.host}: ${what}, but ${file}:${verdict.line} records a different ${type} key. ` +
          `Someone could be intercepting the connection, or the host was reinstalled. Refusing to connect; ` +
          `if the change is expected, remove the old key (ssh-keygen -R ${shellName(name)} -f ${file}) and add the new one.`,
      );
    case 'unknown':
      if (target.policy === 'accept-new' && verdict.otherTypes.length === 0) {
        const line = knownHostsLine(name, key, entries.some((e) => e.hosts.startsWith('|1|')));
        await recordKey(file, line);
        // Later connects of this run (a second connection for kills) must not record it again.
        entries.push(...parseKnownHosts(line));
        return;
      }
      throw new HostError(target.host, 'hostkey', unknownMessage(target, what, verdict.otherTypes));
    default: {
      const never: never = verdict;
      throw new Error(`unexpected verdict ${JSON.stringify(never)}`);
    }
  }
}

function unknownMessage(target: HostKeyTarget, what: string, otherTypes: string[]): string {
  const file = target.knownHostsFile;
  const scan = `ssh-keyscan${target.port === 22 ? '' : ` -p ${target.port}`} ${target.address} >> ${file}`;
  const others = otherTypes.length > 0 ? ` Keys of other types (${otherTypes.join(', ')}) are known for it, so accept-new does not apply.` : '';
  return `unknown host key: ${what}, which is not in ${file}.${others} Check the fingerprint with the host's administrator, then add it: ${scan}`;
}

function shellName(name: string): string {
  return name.startsWith('[') ? `'${name}'` : name;
}

/** Appends a line with O_APPEND, so concurrent connects each add one whole line. */
async function recordKey(file: string, line: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await appendFile(file, line, { mode: 0o600 });
}
