import { existsSync, readFileSync } from 'node:fs';
import { sleep } from '../exec.js';
import { join } from 'node:path';
import type { LabHost } from '../config.js';
import type { Lab } from '../lab.js';
import { mustHostShell } from '../namespace.js';
import { isGalera, membersOf } from './config.js';

/** The Galera lab's faults (`lab up --galera`); a cluster-wide DROP DATABASE is `drop-database`. */
export type GaleraFault =
  /** One member's disk lost: its mariadbd dies (SIGKILL) and its datadir is emptied; left stopped. */
  | { kind: 'galera-wipe-member'; host: string }
  /** One member shut down cleanly (systemctl stop mariadb): the others go on as a cluster of two. */
  | { kind: 'galera-stop-member'; host: string }
  /** Every member's mariadbd SIGKILLed at once: no member stops cleanly, none is safe to bootstrap. */
  | { kind: 'galera-crash' };

export const GALERA_FAULT_KINDS = ['galera-wipe-member', 'galera-stop-member', 'galera-crash'] as const;

function member(lab: Lab, name: string): LabHost {
  if (!isGalera(lab.config)) throw new Error('lab: Galera faults need a Galera lab (lab up --galera)');
  const found = membersOf(lab.hosts).find((h) => h.name === name);
  if (!found) throw new Error(`lab: ${name} is not a Galera member (members: ${membersOf(lab.hosts).map((h) => h.name).join(', ')})`);
  return found;
}

/** SIGKILL to the member's mariadbd (its process group and itself); its pid, or undefined when none ran. */
function killMariadb(host: LabHost): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(host.dir, 'state', 'mariadb.pid'), 'utf8'));
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pid;
}

/** Waits (at most 10 s) until a killed process has exited. */
async function gone(pid: number | undefined): Promise<void> {
  for (let i = 0; pid !== undefined && i < 100 && existsSync(`/proc/${pid}`); i++) await sleep(100);
}

/** Injects a Galera fault; its description. */
export async function injectGalera(lab: Lab, fault: GaleraFault): Promise<string> {
  switch (fault.kind) {
    case 'galera-wipe-member': {
      const host = member(lab, fault.host);
      await gone(killMariadb(host));
      // The mount point stays (the new disk), owned by mysql; the dead server's socket goes too.
      await mustHostShell(host, 'find /var/lib/mysql -mindepth 1 -delete; rm -f /run/mysqld/mysqld.sock /run/mysqld/mysqld.pid');
      return `${fault.host} lost its MariaDB datadir (mariadbd killed, /var/lib/mysql emptied; stopped)`;
    }
    case 'galera-stop-member': {
      await mustHostShell(member(lab, fault.host), 'systemctl stop mariadb', { timeoutMs: 120_000 });
      return `${fault.host}'s MariaDB stopped cleanly (the cluster goes on without it)`;
    }
    case 'galera-crash': {
      if (!isGalera(lab.config)) throw new Error('lab: Galera faults need a Galera lab (lab up --galera)');
      // Synchronously one after the other: no member sees the others leave and writes a clean state.
      const killed = membersOf(lab.hosts).map((h) => [h.name, killMariadb(h)] as const);
      return `killed every member's mariadbd (${killed.map(([n, p]) => `${n} ${p ?? 'not running'}`).join(', ')})`;
    }
    default: {
      const never: never = fault;
      throw new Error(`lab: unknown Galera fault ${JSON.stringify(never)}`);
    }
  }
}

/** Undoes what the lab can: a member stopped cleanly starts and rejoins. The others need a recovery. */
export async function healGalera(lab: Lab, fault: GaleraFault): Promise<string> {
  if (fault.kind === 'galera-stop-member') {
    await mustHostShell(member(lab, fault.host), 'systemctl start mariadb', { timeoutMs: 300_000 });
    return `${fault.host}'s MariaDB started (it rejoins the cluster)`;
  }
  throw new Error(`lab: ${fault.kind} is undone by a recovery runbook (recover-galera-member, recover-galera-crash), not by heal`);
}
