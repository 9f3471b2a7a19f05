import { chmodSync, copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MYSQL_PORT, type HostRole, type LabConfig, type LabHost, hostScriptsDir, kindOf, labHosts } from './config.js';
import { isGalera, membersOf, writeGaleraFiles } from './galera/config.js';
import { GALERA_DB_USER } from './galera/cluster.js';
import { cloudsYaml } from './openstack/configs.js';
import { rabbitEnv } from './openstack/ports.js';
import { openstackUnits, uwsgiInis } from './openstack/units.js';
import { hostPath } from './namespace.js';
import { swiftUnits } from './swift/host.js';

/**
 * A lab service ("unit"): a long-running process that reads its config and checks what it
 * depends on (`checks`) every few seconds; `systemctl is-active` runs the same checks.
 * Checks: `db:<section>:<table>` (connect with the connection string of that section of the
 * config and count the table's rows), `dir:<path>`, `gz:<path>` (a readable gzip file).
 */
export interface Unit {
  name: string;
  description: string;
  /** The config file the service cannot start without ("-" for none). */
  config: string;
  checks: string[];
  /** Where the service writes its log. */
  log: string;
  /** A real daemon (the real-OpenStack lab): user:group it runs as, and its command line. */
  user?: string;
  command?: string;
}

const unit = (name: string, description: string, config: string, checks: string[], logDir: string): Unit => ({
  name, description, config, checks, log: `/var/log/${logDir}/${name}.log`,
});

/** The services of each role, in start order (mariadb first). */
export const UNITS: Record<HostRole, Unit[]> = {
  // The real cloud's controller units (Debian's names, start order), simulated, so that the
  // runbooks' defaults fit both lab kinds; nova-novncproxy as before.
  controller: [
    unit('mariadb', 'MariaDB database server', '-', [], 'mysql'),
    unit('rabbitmq-server', 'RabbitMQ Messaging Server', '-', ['dir:/var/lib/rabbitmq'], 'rabbitmq'),
    unit('keystone', 'OpenStack Identity (keystone)', '/etc/keystone/keystone.conf', ['db:database:project', 'dir:/etc/keystone/fernet-keys'], 'keystone'),
    unit('placement-api', 'OpenStack Placement API (placement-api)', '-', [], 'placement'),
    unit('glance-api', 'OpenStack Image API (glance-api)', '/etc/glance/glance-api.conf', ['db:database:images', 'dir:/var/lib/glance/images'], 'glance'),
    unit('nova-api', 'OpenStack Compute API (nova-api)', '/etc/nova/nova.conf', ['db:api_database:cell_mappings', 'db:database:instances'], 'nova'),
    unit('nova-conductor', 'OpenStack Compute Conductor (nova-conductor)', '/etc/nova/nova.conf', ['db:database:services', 'db:api_database:cell_mappings'], 'nova'),
    unit('nova-scheduler', 'OpenStack Compute Scheduler (nova-scheduler)', '/etc/nova/nova.conf', ['db:api_database:host_mappings'], 'nova'),
    unit('nova-novncproxy', 'OpenStack Compute noVNC proxy (nova-novncproxy)', '/etc/nova/nova.conf', [], 'nova'),
    unit('cinder-api', 'OpenStack Block Storage API (cinder-api)', '/etc/cinder/cinder.conf', ['db:database:volumes'], 'cinder'),
    unit('cinder-scheduler', 'OpenStack Block Storage Scheduler (cinder-scheduler)', '/etc/cinder/cinder.conf', ['db:database:services'], 'cinder'),
    unit('cinder-volume', 'OpenStack Block Storage Volume (cinder-volume)', '/etc/cinder/cinder.conf', ['db:database:volumes'], 'cinder'),
    unit('neutron-stub', 'Stand-in for the OpenStack Networking API (neutron-stub)', '-', [], 'neutron'),
  ],
  compute: [
    unit('nova-compute', 'OpenStack Compute (nova-compute)', '/etc/nova/nova.conf', ['dir:/var/lib/nova/instances'], 'nova'),
  ],
  offsite: [], // lab/swift: real daemons in both kinds (swiftUnits)
  storage: [
    unit('cinder-volume', 'OpenStack Block Storage Volume (cinder-volume)', '/etc/cinder/cinder.conf', ['db:database:volumes', 'dir:/var/lib/cinder/volumes'], 'cinder'),
    unit('swift-proxy', 'OpenStack Object Storage proxy (swift-proxy)', '/etc/swift/proxy-server.conf', ['gz:/etc/swift/account.ring.gz', 'gz:/etc/swift/container.ring.gz', 'gz:/etc/swift/object.ring.gz'], 'swift'),
  ],
};

/** The services of a host, in start order, for the lab's kind. */
export const unitsOf = (host: LabHost, config?: LabConfig): Unit[] => {
  if (host.role === 'offsite') return swiftUnits(host);
  if (config && kindOf(config) === 'openstack') return openstackUnits(host.role, host, config);
  // A Galera lab's other members run MariaDB only: the services on three controllers would
  // triple the lab's load for nothing the cluster's recovery needs (lab/README.md).
  if (config && isGalera(config) && host.role === 'controller' && host.name !== 'ctl1') return UNITS.controller.filter((u) => u.name === 'mariadb');
  return UNITS[host.role];
};

/** Copies the host-side scripts into <lab dir>/bin (so a running lab does not depend on the checkout). */
export function installScripts(config: LabConfig): string {
  const bin = join(config.dir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const f of readdirSync(hostScriptsDir())) {
    copyFileSync(join(hostScriptsDir(), f), join(bin, f));
    chmodSync(join(bin, f), 0o755);
  }
  return bin;
}

/**
 * The host's unit table, its mariadb config, and its /usr/local/sbin: `systemctl` and
 * `service` wrappers that know which host they are on.
 */
export function writeHostUnits(host: LabHost, config: LabConfig, ctl: LabHost): void {
  const etc = join(host.dir, 'etc');
  mkdirSync(etc, { recursive: true });
  mkdirSync(join(host.dir, 'state'), { recursive: true });
  const lines = unitsOf(host, config).map((u) => [u.name, u.description, u.config, u.checks.join(','), u.log, u.user ?? '', u.command ?? ''].join('|'));
  writeFileSync(join(etc, 'units'), `${lines.join('\n')}\n`);
  const openstack = kindOf(config) === 'openstack';
  if (host.role === 'controller') writeFileSync(join(etc, 'mariadb.cnf'), mariadbCnf(ctl, openstack ? 'mysql' : 'root'));
  if (host.role === 'controller' && isGalera(config)) writeGaleraFiles(host, mariadbCnf(ctl, GALERA_DB_USER), membersOf(labHosts(config)));
  const sbin = join(host.dir, 'sbin');
  mkdirSync(sbin, { recursive: true });
  const bin = join(config.dir, 'bin');
  const env = `LAB_HOST='${host.name}' LAB_HOST_DIR='${host.dir}' LAB_BIN='${bin}'`;
  for (const [name, script] of [['systemctl', 'systemctl.sh'], ['service', 'service.sh']] as const) {
    writeFileSync(join(sbin, name), `#!/bin/sh\n# lab host ${host.name}: no systemd here\n${env} exec /bin/sh '${join(bin, script)}' "$@"\n`);
    chmodSync(join(sbin, name), 0o755);
  }
  if (openstack && host.role === 'controller') writeOpenstackHostFiles(host, config, sbin);
}

/**
 * ctl1's lab files of the real-OpenStack lab: uwsgi inis (like unit files, outside the
 * protected paths), RabbitMQ's CLI wrappers with this lab's Erlang ports, root's clouds.yaml.
 */
function writeOpenstackHostFiles(host: LabHost, config: LabConfig, sbin: string): void {
  const uwsgi = join(host.dir, 'etc', 'uwsgi');
  mkdirSync(uwsgi, { recursive: true });
  for (const [name, ini] of Object.entries(uwsgiInis(host))) writeFileSync(join(uwsgi, `${name}.ini`), ini);
  const env = Object.entries(rabbitEnv(config, host.address)).map(([k, v]) => `${k}=${v}`).join(' ');
  for (const tool of ['rabbitmqctl', 'rabbitmq-diagnostics', 'rabbitmq-plugins']) {
    writeFileSync(join(sbin, tool), `#!/bin/sh\n# lab host ${host.name}: this lab's RabbitMQ ports (parallel labs share the network)\nexport ${env}\nexec /usr/sbin/${tool} "$@"\n`);
    chmodSync(join(sbin, tool), 0o755);
  }
  const dir = join(hostPath(host, '/root'), '.config', 'openstack');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'clouds.yaml'), cloudsYaml(), { mode: 0o600 });
}

function mariadbCnf(ctl: LabHost, user: string): string {
  return `# MariaDB of lab host ${ctl.name}
[mariadbd]
user = ${user}
datadir = /var/lib/mysql
socket = /run/mysqld/mysqld.sock
pid-file = /run/mysqld/mysqld.pid
bind-address = ${ctl.address}
port = ${MYSQL_PORT}
skip-name-resolve
log-error = /var/log/mysql/error.log
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
max_connections = 400
performance_schema = OFF
innodb_buffer_pool_size = 128M
innodb_log_file_size = 64M
innodb_flush_log_at_trx_commit = 2
`;
}
