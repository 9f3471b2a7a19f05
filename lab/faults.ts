import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LabHost, kindOf } from './config.js';
import { sleep } from './exec.js';
import type { Lab } from './lab.js';
import { HOST_PATHS, hostPath, hostShell, mustHostShell } from './namespace.js';
import { listening, startSshd, stopSshd } from './sshd.js';
import { GALERA_FAULT_KINDS, type GaleraFault, healGalera, injectGalera } from './galera/faults.js';

/** A disaster to inject. Host names are lab names (ctl1, cmp1, stor1). */
export type Fault =
  /** DROP DATABASE on ctl1's MariaDB. */
  | { kind: 'drop-database'; database: string }
  /** DROP TABLE on ctl1's MariaDB. */
  | { kind: 'drop-table'; database: string; table: string }
  /** rm -rf a file or directory (of a mount point such as /etc/nova: everything inside it). */
  | { kind: 'delete-path'; host: string; path: string }
  /** Overwrite the first bytes of a file (of a directory: its first file in sorted order). */
  | { kind: 'corrupt-file'; host: string; path: string }
  /** SIGKILL a service's processes: systemctl then reports it failed. */
  | { kind: 'kill-service'; host: string; service: string }
  /** Stop the host's sshd: the host is unreachable, its services keep running. */
  | { kind: 'stop-sshd'; host: string }
  /** Put a tmpfs just big enough for what /var/backups holds over it, and fill it: ENOSPC. */
  | { kind: 'fill-backups'; host: string }
  /**
   * ctl1's whole MariaDB datadir lost and re-initialised as a reinstalled package leaves it
   * (mariadb-install-db: system tables, root@localhost by unix socket only); mariadb running.
   */
  | { kind: 'wipe-datadir' }
  /** The Galera lab's (lab/galera/faults.ts). */
  | GaleraFault;

export type FaultKind = Fault['kind'];

export const FAULT_KINDS: readonly FaultKind[] = ['drop-database', 'drop-table', 'delete-path', 'corrupt-file', 'kill-service', 'stop-sshd', 'fill-backups', 'wipe-datadir', ...GALERA_FAULT_KINDS];

/** What a fault did, for logs and reports. */
export interface FaultResult {
  fault: Fault;
  description: string;
}

export function hostOf(lab: Lab, name: string): LabHost {
  const host = lab.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`lab: no host ${name} (hosts: ${lab.hosts.map((h) => h.name).join(', ')})`);
  return host;
}

const ctl = (lab: Lab): LabHost => hostOf(lab, 'ctl1');
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const ident = (s: string): string => `\`${s.replace(/`/g, '``')}\``;
const MYSQL = 'mysql --no-defaults -S /run/mysqld/mysqld.sock -u root';
/** Bytes written over the start of a corrupted file: not text, not gzip. */
const GARBAGE = String.raw`\377\376\000LAB-CORRUPTED\000\001\002\003\n`;

/** Ends every connection whose current database is `database` (but ours); how many. */
async function killConnections(host: LabHost, database: string): Promise<number> {
  const ids = (await mustHostShell(host, `${MYSQL} -N -B -e ${q(`SELECT id FROM information_schema.processlist WHERE db = '${database.replace(/[\\']/g, '\\$&')}' AND id <> CONNECTION_ID()`)}`))
    .split('\n').map((l) => l.trim()).filter((l) => /^\d+$/.test(l));
  if (ids.length === 0) return 0;
  // A connection may end on its own meanwhile: KILL of a gone id fails, which is fine.
  await hostShell(host, ids.map((id) => `${MYSQL} -e 'KILL CONNECTION ${id}' 2>/dev/null`).join('\n'));
  return ids.length;
}

/** Injects a fault; throws only when it could not be injected. */
export async function inject(lab: Lab, fault: Fault): Promise<FaultResult> {
  switch (fault.kind) {
    case 'drop-database': {
      // A real service may hold a pooled connection inside an open transaction: DROP DATABASE
      // would wait for its metadata lock (lock_wait_timeout is a year). End them first, as an
      // operator's loss would; and never wait long on a lock anyway.
      const killed = await killConnections(ctl(lab), fault.database);
      await mustHostShell(ctl(lab), `${MYSQL} -e ${q(`SET SESSION lock_wait_timeout = 60; DROP DATABASE ${ident(fault.database)}`)}`, { timeoutMs: 120_000 });
      return { fault, description: `dropped database ${fault.database} on ctl1${killed > 0 ? ` (ended ${killed} connection(s) using it first)` : ''}` };
    }
    case 'wipe-datadir': {
      const host = ctl(lab);
      const user = kindOf(lab.config) === 'openstack' ? 'mysql' : 'root';
      const cnf = join(host.dir, 'etc', 'mariadb.cnf');
      await mustHostShell(host, `set -e
systemctl stop mariadb
find /var/lib/mysql -mindepth 1 -delete
mariadb-install-db --defaults-file=${q(cnf)} --user=${user} --auth-root-authentication-method=socket --skip-test-db >/var/log/mysql/install.log 2>&1 || { tail -n 20 /var/log/mysql/install.log >&2; exit 1; }
systemctl start mariadb`, { timeoutMs: 300_000 });
      return { fault, description: 'wiped MariaDB\'s datadir on ctl1 (re-initialised empty, mariadb running)' };
    }
    case 'drop-table': {
      // The same metadata lock as drop-database: end the database's connections first.
      const killed = await killConnections(ctl(lab), fault.database);
      await mustHostShell(ctl(lab), `${MYSQL} -e ${q(`SET SESSION lock_wait_timeout = 60; DROP TABLE ${ident(fault.database)}.${ident(fault.table)}`)}`, { timeoutMs: 120_000 });
      return { fault, description: `dropped table ${fault.database}.${fault.table} on ctl1${killed > 0 ? ` (ended ${killed} connection(s) using it first)` : ''}` };
    }
    case 'delete-path': {
      const mountPoint = (HOST_PATHS as readonly string[]).includes(fault.path.replace(/\/+$/, ''));
      const script = mountPoint ? `test -d ${q(fault.path)} && find ${q(fault.path)} -mindepth 1 -delete` : `test -e ${q(fault.path)} && rm -rf ${q(fault.path)}`;
      await mustHostShell(hostOf(lab, fault.host), script);
      return { fault, description: `deleted ${fault.path}${mountPoint ? '/*' : ''} on ${fault.host}` };
    }
    case 'corrupt-file': {
      const file = (await mustHostShell(hostOf(lab, fault.host),
        `if [ -d ${q(fault.path)} ]; then find ${q(fault.path)} -type f | LC_ALL=C sort | head -n 1; else test -f ${q(fault.path)} && echo ${q(fault.path)}; fi`)).trim();
      if (!file) throw new Error(`lab: corrupt-file: no file at ${fault.path} on ${fault.host}`);
      await mustHostShell(hostOf(lab, fault.host), `printf '${GARBAGE}' | dd of=${q(file)} conv=notrunc status=none`);
      return { fault, description: `corrupted ${file} on ${fault.host}` };
    }
    case 'kill-service': {
      const host = hostOf(lab, fault.host);
      const name = fault.service.replace(/\.service$/, '').replace(/^(mysql|mysqld|mariadbd)$/, 'mariadb');
      const pid = Number(readFileSync(join(host.dir, 'state', `${name}.pid`), 'utf8'));
      for (const target of [-pid, pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // the group or the process is already gone
        }
      }
      return { fault, description: `killed ${name} (pid ${pid}) on ${fault.host}` };
    }
    case 'stop-sshd': {
      const host = hostOf(lab, fault.host);
      if (!stopSshd(host)) throw new Error(`lab: sshd of ${fault.host} is not running`);
      for (let i = 0; i < 100 && (await listening(host.address, host.port)); i++) await sleep(50);
      return { fault, description: `stopped sshd of ${fault.host}` };
    }
    case 'fill-backups': {
      const host = hostOf(lab, fault.host);
      await mustHostShell(host, `set -e
if grep -q ' /var/backups tmpfs ' /proc/self/mounts; then exit 0; fi
kb=$(du -sk /var/backups | cut -f1)
mount -t tmpfs -o size=$((kb + kb / 10 + 1024))k,mode=755 lab-backups-full /var/backups
cp -a ${q(hostPath(host, '/var/backups'))}/. /var/backups/
dd if=/dev/zero of=/var/backups/.lab-fill bs=64k 2>/dev/null || true
test "$(df -Pk /var/backups | awk 'NR==2 {print $4}')" -eq 0`);
      return { fault, description: `filled /var/backups on ${fault.host} (a full tmpfs over it)` };
    }
    case 'galera-wipe-member':
    case 'galera-stop-member':
    case 'galera-crash':
      return { fault, description: await injectGalera(lab, fault) };
    default: {
      const never: never = fault;
      throw new Error(`lab: unknown fault ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Undoes a fault the lab can undo by itself: starts sshd or the service again, or removes the
 * full filesystem (keeping what was written to it). Data faults need a restore: they throw.
 */
export async function heal(lab: Lab, fault: Fault): Promise<FaultResult> {
  switch (fault.kind) {
    case 'stop-sshd':
      await startSshd(hostOf(lab, fault.host));
      return { fault, description: `started sshd of ${fault.host}` };
    case 'kill-service':
      await mustHostShell(hostOf(lab, fault.host), `systemctl start ${q(fault.service)}`);
      return { fault, description: `started ${fault.service} on ${fault.host}` };
    case 'fill-backups': {
      const host = hostOf(lab, fault.host);
      await mustHostShell(host, `set -e
grep -q ' /var/backups tmpfs ' /proc/self/mounts || exit 0
rm -f /var/backups/.lab-fill
rsync -a --delete /var/backups/ ${q(hostPath(host, '/var/backups'))}/
umount -l /var/backups`);
      return { fault, description: `/var/backups on ${fault.host} is its own directory again` };
    }
    case 'drop-database':
    case 'drop-table':
    case 'delete-path':
    case 'corrupt-file':
    case 'wipe-datadir':
      throw new Error(`lab: ${fault.kind} is undone by a restore from a backup (or lab reset), not by heal`);
    case 'galera-wipe-member':
    case 'galera-stop-member':
    case 'galera-crash':
      return { fault, description: await healGalera(lab, fault) };
    default: {
      const never: never = fault;
      throw new Error(`lab: unknown fault ${JSON.stringify(never)}`);
    }
  }
}
