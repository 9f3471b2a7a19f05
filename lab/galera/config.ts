import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GALERA_CONTROLLERS, type LabConfig, type LabHost } from '../config.js';

/** Members of the lab's Galera cluster: ctl1..ctl3. */
export const GALERA_MEMBERS = GALERA_CONTROLLERS;
/** Galera's ports on each member's own address: group communication, IST, SST (rsync). */
export const GALERA_PORTS = { gcomm: 4567, ist: 4568, sst: 4444 } as const;
export const GALERA_PROVIDER = '/usr/lib/galera/libgalera_smm.so';
export const GALERA_CLUSTER_NAME = 'lab';

/** True for a lab of three controllers running one Galera cluster (`lab up --galera`). */
export const isGalera = (config: Pick<LabConfig, 'galera'>): boolean => config.galera === true;

/** The cluster's members (the controllers), in inventory order. */
export const membersOf = (hosts: readonly LabHost[]): LabHost[] => hosts.filter((h) => h.role === 'controller');

/**
 * The [galera] part of a member's MariaDB config. SST by rsync: it needs only rsync and ss on
 * the hosts, and its daemon listens on the joiner's own address, so it works in the lab's
 * namespaces (which share the machine's network) without a port clash between labs or members.
 */
export function galeraCnf(member: LabHost, members: readonly LabHost[]): string {
  const peers = members.map((m) => `${m.address}:${GALERA_PORTS.gcomm}`).join(',');
  const options = [`gmcast.listen_addr=tcp://${member.address}:${GALERA_PORTS.gcomm}`, `ist.recv_addr=${member.address}:${GALERA_PORTS.ist}`, 'gcache.size=64M'];
  return `
[galera]
wsrep_on = ON
wsrep_provider = ${GALERA_PROVIDER}
wsrep_cluster_name = ${GALERA_CLUSTER_NAME}
wsrep_cluster_address = gcomm://${peers}
wsrep_node_name = ${member.name}
wsrep_node_address = ${member.address}
wsrep_provider_options = "${options.join('; ')}"
wsrep_sst_method = rsync
wsrep_sst_receive_address = ${member.address}:${GALERA_PORTS.sst}
binlog_format = ROW
default_storage_engine = InnoDB
innodb_autoinc_lock_mode = 2
`;
}

/**
 * A member's MariaDB config with its own address, written where the lab's systemctl reads it
 * (etc/mariadb.cnf) and as the member's /etc/mysql/my.cnf (bind-mounted), where Debian keeps it:
 * what `mariadbd --wsrep-recover` and `galera_new_cluster` read on a real controller. And the
 * member's galera_new_cluster: Debian's writes /run/mariadb-wsrep-new-cluster, which all lab
 * hosts would share; the lab's keeps the flag in the host's own state folder.
 */
export function writeGaleraFiles(member: LabHost, base: string, members: readonly LabHost[]): void {
  const text = base.replace(/^bind-address = .*$/m, `bind-address = ${member.address}`) + galeraCnf(member, members);
  writeFileSync(join(member.dir, 'etc', 'mariadb.cnf'), text);
  mkdirSync(join(member.dir, 'etc', 'mysql'), { recursive: true });
  writeFileSync(join(member.dir, 'etc', 'mysql', 'my.cnf'), `# lab host ${member.name}: a Galera member (lab/galera)\n${text}`);
  const sbin = join(member.dir, 'sbin');
  mkdirSync(sbin, { recursive: true });
  const flag = join(member.dir, 'state', 'mariadb.new-cluster');
  writeFileSync(join(sbin, 'galera_new_cluster'), `#!/bin/sh
# lab host ${member.name}: bootstrap a new Galera cluster from this member (Debian's galera_new_cluster)
trap 'rm -f "${flag}"' EXIT
echo --wsrep-new-cluster > '${flag}' && systemctl restart "\${1:-mariadb}"
`);
  chmodSync(join(sbin, 'galera_new_cluster'), 0o755);
}

/**
 * A drill's marker places, widened to the cluster: a row written on one member is on every
 * member (replicated), so its table holds drill markers on all of them.
 */
export function replicatedPlaces<P extends { tables: Array<{ host: string; database: string; table: string }> }>(places: P, members: readonly LabHost[]): P {
  const names = new Set(members.map((m) => m.name));
  const onMembers = places.tables.filter((t) => names.has(t.host));
  const widened = onMembers.flatMap((t) => members.map((m) => ({ ...t, host: m.name })));
  const others = places.tables.filter((t) => !names.has(t.host));
  const unique = new Map(widened.map((t) => [`${t.host}\0${t.database}\0${t.table}`, t]));
  return { ...places, tables: [...others, ...unique.values()] };
}
