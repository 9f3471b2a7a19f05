import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { LabHost } from '../config.js';
import { mustRun } from '../exec.js';
import { hostPath } from '../namespace.js';
import { cinderConf, glanceApiConf, keystoneConf, novaComputeConf, novaConf, placementConf } from './configs.js';

/** The machine's uid and gid of a user (the hosts' account files are copies of the machine's). */
function ids(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`lab: no user ${user} on this machine (run scripts/install-openstack-packages.sh)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function writeOwned(file: string, text: string, owner: string, mode: number): void {
  writeFileSync(file, text);
  const { gid } = ids(owner);
  chownSync(file, 0, gid);
  chmodSync(file, mode);
}

function ownDir(dir: string, owner: string, mode = 0o750): void {
  mkdirSync(dir, { recursive: true });
  const { uid, gid } = ids(owner);
  chownSync(dir, uid, gid);
  chmodSync(dir, mode);
}

/** Copies what the packages installed on the machine (their /etc and /var/lib folders) into a host's own (cp -a: owners too). */
async function copyFromPackages(host: LabHost, paths: readonly string[]): Promise<void> {
  for (const p of paths) {
    mkdirSync(hostPath(host, p), { recursive: true });
    if (existsSync(p)) await mustRun('cp', ['-a', `${p}/.`, `${hostPath(host, p)}/`]);
  }
}

/** The golden state's files of ctl1 before any service ran: the packages' files, the lab's configs. */
export async function prepareControllerFiles(ctl: LabHost): Promise<void> {
  await copyFromPackages(ctl, ['/etc/keystone', '/etc/glance', '/etc/nova', '/etc/cinder', '/etc/placement', '/etc/rabbitmq',
    '/var/lib/glance', '/var/lib/nova', '/var/lib/cinder', '/var/lib/keystone', '/var/lib/rabbitmq']);
  const f = (p: string): string => hostPath(ctl, p);
  for (const [dir, owner] of [['/etc/keystone', 'keystone'], ['/etc/glance', 'glance'], ['/etc/nova', 'nova'], ['/etc/cinder', 'cinder'],
    ['/etc/placement', 'placement'], ['/var/lib/keystone', 'keystone'], ['/var/lib/glance', 'glance'], ['/var/lib/nova', 'nova'],
    ['/var/lib/cinder', 'cinder'], ['/var/log/keystone', 'keystone'], ['/var/log/glance', 'glance'], ['/var/log/nova', 'nova'],
    ['/var/log/cinder', 'cinder'], ['/var/log/placement', 'placement'], ['/var/log/rabbitmq', 'rabbitmq'], ['/var/lib/mysql', 'mysql'],
    ['/run/mysqld', 'mysql'], ['/var/log/mysql', 'mysql'], ['/var/lib/glance/images', 'glance'], ['/var/lib/glance/lock', 'glance'],
    ['/var/lib/nova/tmp', 'nova'], ['/var/lib/cinder/tmp', 'cinder']] as const) ownDir(f(dir), owner);
  ownDir(f('/var/lib/rabbitmq'), 'rabbitmq', 0o755);
  ownDir(f('/etc/rabbitmq'), 'rabbitmq', 0o755);
  writeOwned(f('/etc/keystone/keystone.conf'), keystoneConf(), 'keystone', 0o640);
  writeOwned(f('/etc/glance/glance-api.conf'), glanceApiConf(), 'glance', 0o640);
  writeOwned(f('/etc/placement/placement.conf'), placementConf(), 'placement', 0o640);
  writeOwned(f('/etc/nova/nova.conf'), novaConf(), 'nova', 0o640);
  writeOwned(f('/etc/cinder/cinder.conf'), cinderConf(), 'cinder', 0o640);
}

/** A compute host's files: nova's package files and a nova.conf for nova-compute (no database). */
export async function prepareComputeFiles(cmp: LabHost): Promise<void> {
  await copyFromPackages(cmp, ['/etc/nova', '/var/lib/nova']);
  for (const dir of ['/etc/nova', '/var/lib/nova', '/var/lib/nova/instances', '/var/lib/nova/tmp', '/var/log/nova']) ownDir(hostPath(cmp, dir), 'nova', dir === '/var/lib/nova' ? 0o755 : 0o750);
  writeOwned(hostPath(cmp, '/etc/nova/nova.conf'), novaComputeConf(), 'nova', 0o640);
}
