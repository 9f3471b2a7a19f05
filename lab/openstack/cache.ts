import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LabHost } from '../config.js';
import { repoRoot } from '../config.js';
import { mustRun } from '../exec.js';

/** The packages the golden state depends on (their versions are part of the cache key). */
export const OPENSTACK_PACKAGES = [
  'mariadb-server', 'rabbitmq-server', 'keystone', 'placement-api', 'glance-api', 'nova-api', 'nova-conductor',
  'nova-scheduler', 'python3-nova', 'cinder-api', 'cinder-scheduler', 'cinder-volume', 'python3-cinder',
  'python3-openstackclient', 'uwsgi-plugin-python3',
] as const;

/** The owners of the golden state's files (numbers on disk: a machine with other ids needs another build). */
const OWNERS = ['keystone', 'glance', 'placement', 'nova', 'cinder', 'rabbitmq', 'mysql'];

/** The lab code that makes the golden state (a change in it is a new build): lab/openstack/*.ts. */
function codeFiles(): string[] {
  const root = repoRoot();
  const lab = join(root, 'lab');
  // The host scripts only run the services; what the state holds comes from lab/openstack.
  const files: string[] = [];
  for (const f of readdirSync(join(lab, 'openstack')).sort()) if (f.endsWith('.ts')) files.push(join(lab, 'openstack', f));
  return files;
}

/** The cache folder: LAB_CACHE, or ~/.cache/runbook/openstack-lab. */
export function cacheRoot(): string {
  return process.env['LAB_CACHE'] ?? join(homedir(), '.cache', 'runbook', 'openstack-lab');
}

/** Package versions + owners' ids + a hash of the lab code + the number of computes. */
export async function cacheKey(computes: number): Promise<string> {
  const versions = await mustRun('dpkg-query', ['-W', '-f', '${Package} ${Version}\n', ...OPENSTACK_PACKAGES]);
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').filter((l) => OWNERS.includes(l.split(':')[0] ?? '')).sort();
  const h = createHash('sha256').update(versions).update(passwd.join('\n')).update(`computes ${computes}`);
  for (const f of codeFiles()) h.update(f.slice(repoRoot().length)).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

const stateOf = (dir: string): string => join(dir, 'hosts');

/** True when a golden state for the key exists (complete: written last). */
export function hasGolden(key: string): boolean {
  return existsSync(join(cacheRoot(), key, 'complete'));
}

/** Copies the golden state's host folders (fs/) into a lab's hosts (cp -a: owners, modes, sparse files). */
export async function restoreGolden(key: string, hosts: readonly LabHost[]): Promise<void> {
  for (const h of hosts) {
    const from = join(stateOf(join(cacheRoot(), key)), h.name, 'fs');
    if (!existsSync(from)) throw new Error(`lab: the cached OpenStack state ${key} has no host ${h.name}`);
    rmSync(join(h.dir, 'fs'), { recursive: true, force: true });
    mkdirSync(h.dir, { recursive: true });
    await mustRun('cp', ['-a', from, join(h.dir, 'fs')]);
  }
}

/** Saves the hosts' fs/ folders as the golden state of the key (atomically: a half copy is never used). */
export async function saveGolden(key: string, hosts: readonly LabHost[]): Promise<string> {
  const root = cacheRoot();
  mkdirSync(root, { recursive: true });
  const tmp = join(root, `.${key}.${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  for (const h of hosts) {
    mkdirSync(join(stateOf(tmp), h.name), { recursive: true });
    await mustRun('cp', ['-a', join(h.dir, 'fs'), join(stateOf(tmp), h.name, 'fs')]);
  }
  writeFileSync(join(tmp, 'complete'), `${new Date().toISOString()}\n`);
  const final = join(root, key);
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  return final;
}

