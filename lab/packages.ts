import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './config.js';
import { run } from './exec.js';

/** A Debian package and the file that proves it is installed. */
const NEEDED: ReadonlyArray<{ pkg: string; file: string }> = [
  { pkg: 'openssh-server', file: '/usr/sbin/sshd' },
  { pkg: 'openssh-client', file: '/usr/bin/ssh' },
  { pkg: 'mariadb-server', file: '/usr/sbin/mariadbd' },
  { pkg: 'mariadb-client', file: '/usr/bin/mysqldump' },
  { pkg: 'rsync', file: '/usr/bin/rsync' },
  { pkg: 'sudo', file: '/usr/bin/sudo' },
  // The Galera lab's provider, and ss, which its rsync SST script looks for listeners with.
  { pkg: 'galera-4', file: '/usr/lib/galera/libgalera_smm.so' },
  { pkg: 'iproute2', file: '/usr/bin/ss' },
  // What the shipped runbooks run on the hosts, which share this machine's /usr: zstd (backup-db's
  // dumps), mariabackup (backup-db-physical), age (backups encrypted to the inventory's recipients).
  { pkg: 'zstd', file: '/usr/bin/zstd' },
  { pkg: 'mariadb-backup', file: '/usr/bin/mariabackup' },
  { pkg: 'age', file: '/usr/bin/age' },
];

/**
 * Installs what the lab needs with apt-get when it is missing and we are root; otherwise
 * fails with a message naming the packages.
 */
export async function ensurePackages(log: (line: string) => void): Promise<void> {
  const missing = NEEDED.filter((n) => !existsSync(n.file)).map((n) => n.pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`lab: missing packages: ${missing.join(' ')}; install them (apt-get install ${missing.join(' ')}) or run as root`);
  }
  log(`installing ${missing.join(' ')} with apt-get`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): ReturnType<typeof run> =>
    run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env });
  let r = await install();
  if (r.code !== 0) {
    await run('apt-get', ['update', '-q'], { env });
    r = await install();
  }
  if (r.code !== 0) throw new Error(`lab: apt-get install ${missing.join(' ')} failed: ${r.stderr.trim().slice(-1500)}`);
}

/**
 * The real-OpenStack lab's packages (scripts/install-openstack-packages.sh: idempotent, quick
 * when they are installed), its progress lines passed on.
 */
export function ensureOpenstackPackages(log: (line: string) => void): Promise<void> {
  const script = join(repoRoot(), 'scripts', 'install-openstack-packages.sh');
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const lines = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        tail = `${tail}\n${line}`.slice(-2000);
        log(line.replace(/^runbook: /, ''));
      }
    };
    child.stdout.on('data', lines);
    child.stderr.on('data', lines);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`lab: ${script} failed (exit ${code}):${tail}`))));
  });
}
