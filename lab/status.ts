import type { Lab } from './lab.js';
import { type LabHost, kindOf } from './config.js';
import { mapLimit } from './exec.js';
import { holderPid, hostShell } from './namespace.js';
import { listening } from './sshd.js';
import { isGalera, GALERA_MEMBERS } from './galera/config.js';
import { describeMember, memberState } from './galera/cluster.js';

/** One service as the host's systemctl sees it. */
export interface ServiceStatus {
  name: string;
  /** active: running and healthy; activating: running, unhealthy; failed; inactive. */
  state: 'active' | 'activating' | 'failed' | 'inactive';
  /** The health check's message: what works, or what is wrong. */
  detail: string;
}

export interface HostStatus {
  name: string;
  role: LabHost['role'];
  address: string;
  port: number;
  /** The host's namespace exists. */
  up: boolean;
  /** Its sshd accepts connections. */
  sshd: boolean;
  services: ServiceStatus[];
}

/** What every host and service is doing, without going through ssh. */
export async function status(lab: Lab): Promise<HostStatus[]> {
  return mapLimit(lab.hosts, 8, async (h): Promise<HostStatus> => {
    const up = holderPid(h) !== undefined;
    const sshd = await listening(h.address, h.port);
    let services: ServiceStatus[] = [];
    if (up) {
      const r = await hostShell(h, 'systemctl lab-health');
      services = r.stdout.trim().split('\n').filter(Boolean).map((line) => {
        const [name = '', state = 'inactive', ...rest] = line.split('|');
        return { name, state: state as ServiceStatus['state'], detail: rest.join('|') };
      });
    }
    if (up && h.role === 'controller' && kindOf(lab.config) === 'openstack') services.push(await apiHealth(h));
    if (up && h.role === 'controller' && isGalera(lab.config)) services.push(await galeraHealth(h));
    return { name: h.name, role: h.role, address: h.address, port: h.port, up, sshd, services };
  });
}

/**
 * The real-OpenStack lab's health is its API: keystone issues a token to the admin (through the
 * catalog every client uses). The units' own checks already say each API answers.
 */
async function apiHealth(ctl: LabHost): Promise<ServiceStatus> {
  const r = await hostShell(ctl, 'openstack --os-cloud lab token issue -f value -c expires', { timeoutMs: 90_000 });
  const ok = r.code === 0 && r.stdout.trim() !== '';
  const why = (r.stderr.trim().split('\n').filter((l) => !/Warning|warn/i.test(l)).pop() ?? `exit ${r.code}`).slice(0, 200);
  return { name: 'api: token issue', state: ok ? 'active' : 'activating', detail: ok ? `token expires ${r.stdout.trim()}` : why };
}

/** True when every host is up, reachable and all its services are active. */
export const healthy = (hosts: readonly HostStatus[]): boolean =>
  hosts.every((h) => h.up && h.sshd && h.services.every((s) => s.state === 'active'));

/**
 * A Galera member's health: Synced in a cluster of all members. The detail says its
 * wsrep_local_state_comment, the cluster's size, state UUID and the member's last committed
 * seqno (grastate.dat's, when it is stopped).
 */
async function galeraHealth(member: LabHost): Promise<ServiceStatus> {
  const s = await memberState(member);
  const ok = s.running && s.state === 'Synced' && s.clusterSize === GALERA_MEMBERS;
  return { name: 'galera', state: ok ? 'active' : s.running ? 'activating' : 'inactive', detail: describeMember(s) };
}
