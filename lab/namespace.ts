import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { LabHost } from './config.js';
import { type RunOptions, type RunResult, inHost, mustInHost, sleep } from './exec.js';

/**
 * Paths that are the host's own inside its mount namespace: each is a bind mount of
 * <host dir>/fs/<path>. They must exist on the machine as (empty) mount points.
 */
export const HOST_PATHS = [
  '/etc/nova', '/var/lib/nova', '/etc/glance', '/var/lib/glance', '/etc/keystone',
  '/var/lib/keystone', '/etc/cinder', '/var/lib/cinder', '/etc/swift', '/var/lib/mysql',
  '/run/mysqld', '/var/backups', '/var/log/nova', '/var/log/glance', '/var/log/keystone',
  '/var/log/cinder', '/var/log/swift', '/var/log/mysql', '/root', '/home', '/var/tmp',
  // What the real-OpenStack lab adds: placement's config, RabbitMQ's config and state.
  '/etc/placement', '/var/log/placement', '/etc/rabbitmq', '/var/lib/rabbitmq', '/var/log/rabbitmq',
  '/var/log/neutron',
  // runbook's own state on a host (the recover runbooks' safety copies).
  '/var/lib/runbook',
  // The off-site Swift's device folder (lab/swift): empty on every other host.
  '/srv/node',
] as const;

/**
 * Account files (and sudoers.d) each host sees in place of the machine's: bind mounts of
 * <host dir>/accounts/<path>, written by users.ts, so a lab user never touches the machine's /etc.
 */
export const ACCOUNT_PATHS = ['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/sudoers.d'] as const;

/** Machine path of a host's account file. */
export function accountPath(host: LabHost, path: string): string {
  return join(host.dir, 'accounts', path);
}

/** Host paths that are world-writable with the sticky bit, as on a server. */
const STICKY_PATHS: readonly string[] = ['/var/tmp'];

/** Machine directory of a host path. */
export function hostPath(host: LabHost, path: string): string {
  return join(host.dir, 'fs', path);
}

/** Creates the empty mount points the lab needs on the machine (and sshd's privsep dir). */
export function ensureMountPoints(): void {
  for (const p of [...HOST_PATHS, '/usr/local/sbin', '/etc/sudoers.d']) mkdirSync(p, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
}

/** The mount namespace id of a process ("mnt:[4026532...]"), or undefined if it is gone. */
export function mountNamespaceOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return undefined;
  }
}

const statePath = (host: LabHost, name: string): string => join(host.dir, 'state', name);

/** The pid of the process that holds the host's namespace, if it is alive. */
export function holderPid(host: LabHost): number | undefined {
  try {
    const pid = Number(readFileSync(statePath(host, 'holder.pid'), 'utf8'));
    const ns = readFileSync(statePath(host, 'mntns'), 'utf8');
    if (mountNamespaceOf(pid) !== ns) return undefined;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(`lab-host:${host.name}\0`) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Pid of the holder, or an error naming the host when it is down. */
export function requireHolder(host: LabHost): number {
  const pid = holderPid(host);
  if (pid === undefined) throw new Error(`lab: host ${host.name} is not up (run: npm run lab -- up)`);
  return pid;
}

/**
 * Starts the host: a `sleep infinity` (shown as lab-host:<name>) in a new private mount
 * namespace and its own UTS namespace (so `hostname` says ctl1), then bind-mounts the host's
 * directories inside it. Everything the host runs is started inside that namespace (nsenter,
 * or its sshd), so its files are its own.
 */
export async function startHolder(host: LabHost): Promise<number> {
  mkdirSync(join(host.dir, 'state'), { recursive: true });
  const mine = mountNamespaceOf(process.pid);
  const child = spawn(
    'unshare',
    ['-m', '-u', '--propagation', 'private', '--', 'bash', '-c', `exec -a lab-host:${host.name} sleep infinity`],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`lab: cannot start host ${host.name} (unshare)`);
  // The namespace exists once unshare has run; sleep is exec'd in the same process.
  let ns: string | undefined;
  for (let i = 0; i < 500; i++) {
    ns = mountNamespaceOf(pid);
    if (ns === undefined) throw new Error(`lab: host ${host.name}: unshare -m exited (are we root?)`);
    if (ns !== mine && readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('lab-host:')) break;
    await sleep(10);
  }
  if (ns === undefined || ns === mine) {
    // Never mount anything in the machine's own namespace.
    signal(pid, 'SIGKILL');
    throw new Error(`lab: host ${host.name}: no private mount namespace after 5 s (unshare -m)`);
  }
  writeFileSync(statePath(host, 'holder.pid'), String(pid));
  writeFileSync(statePath(host, 'mntns'), ns);
  // A lab seeded before a path joined HOST_PATHS gets its (empty) folder now.
  for (const p of HOST_PATHS) mkdirSync(hostPath(host, p), { recursive: true });
  for (const p of STICKY_PATHS) chmodSync(hostPath(host, p), 0o1777);
  const mounts = [`hostname '${host.name}'`, `mount --bind '${join(host.dir, '..', '..', 'etc-hosts')}' /etc/hosts`];
  mounts.push(...HOST_PATHS.map((p) => `mount --bind '${hostPath(host, p)}' '${p}'`));
  mounts.push(`mount --bind '${join(host.dir, 'sbin')}' /usr/local/sbin`);
  mounts.push(...ACCOUNT_PATHS.map((p) => `if [ -e '${accountPath(host, p)}' ]; then mount --bind '${accountPath(host, p)}' '${p}'; fi`));
  // A Galera member's MariaDB config where Debian keeps it (lab/galera).
  mounts.push(`if [ -d '${join(host.dir, 'etc', 'mysql')}' ]; then mount --bind '${join(host.dir, 'etc', 'mysql')}' /etc/mysql; fi`);
  // A runbook that calls /usr/bin/systemctl by full path gets the lab's too.
  mounts.push(`if [ -e /usr/bin/systemctl ]; then mount --bind '${join(host.dir, 'sbin', 'systemctl')}' /usr/bin/systemctl; fi`);
  await mustInHost(pid, `set -e\n${mounts.join('\n')}`);
  return pid;
}

/** Every process living in the host's namespace (the holder, sshd, services, sessions). */
export function processesOf(host: LabHost): number[] {
  let ns: string;
  try {
    ns = readFileSync(statePath(host, 'mntns'), 'utf8');
  } catch {
    return [];
  }
  if (!ns) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (mountNamespaceOf(Number(entry)) === ns) pids.push(Number(entry));
  }
  // Namespace ids are reused once a namespace is gone: only trust one whose /root is ours
  // (asked of any of them: one that is exiting has no mountinfo left).
  return pids.some((pid) => isOurs(host, pid)) ? pids : [];
}

function isOurs(host: LabHost, pid: number): boolean {
  try {
    const suffix = `/${basename(dirname(dirname(host.dir)))}/hosts/${host.name}/fs/root`;
    return readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
      .split('\n')
      .some((line) => line.split(' ')[3]?.endsWith(suffix) && line.split(' ')[4] === '/root');
  } catch {
    return false;
  }
}

/** Stops every process of the host (TERM, then KILL), which also drops its mounts. */
export async function stopHost(host: LabHost): Promise<void> {
  let pids = processesOf(host);
  for (const pid of pids) signal(pid, 'SIGTERM');
  for (let i = 0; i < 50 && pids.length > 0; i++) {
    await sleep(100);
    pids = processesOf(host);
  }
  for (const pid of pids) signal(pid, 'SIGKILL');
  for (let i = 0; i < 50 && processesOf(host).length > 0; i++) await sleep(100);
  rmSync(statePath(host, 'mntns'), { force: true });
  rmSync(statePath(host, 'holder.pid'), { force: true });
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** True when the lab state says this host was started (used to find stale hosts). */
export function hasState(host: LabHost): boolean {
  return existsSync(statePath(host, 'mntns'));
}

/** PATH of a root login on a Debian server (sshd's default for root). */
export const ROOT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Runs a shell script on the host as a root login would, with a clean environment (not the
 * lab's own), without going through its sshd: for setup, fingerprints and faults.
 */
export function hostShell(host: LabHost, script: string, options: RunOptions = {}): Promise<RunResult> {
  const pid = requireHolder(host);
  const quoted = `'${script.replace(/'/g, `'\\''`)}'`;
  return inHost(pid, `cd / && exec env -i PATH=${ROOT_PATH} HOME=/root LANG=C.UTF-8 LAB_HOST=${host.name} /bin/sh -c ${quoted}`, options);
}

/** {@link hostShell}, throwing when the script fails. */
export async function mustHostShell(host: LabHost, script: string, options: RunOptions = {}): Promise<string> {
  const r = await hostShell(host, script, options);
  if (r.code !== 0) throw new Error(`lab: on ${host.name}: ${script.slice(0, 200)} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(-1500)}`);
  return r.stdout;
}
