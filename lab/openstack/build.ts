import type { LabHost } from '../config.js';
import { mapLimit } from '../exec.js';
import { RUNBOOK_DB_USER } from '../seed/index.js';
import { PASSWORDS, SERVICE_USERS } from './configs.js';
import { API_PORTS } from './ports.js';
import { seed } from './seed.js';
import { type Log, as, must, openstackBatch, phase, waitFor } from './shell.js';

export { prepareComputeFiles, prepareControllerFiles } from './files.js';
export { OPENSTACK_SEED, cirrosLabBytes } from './seed.js';

/** MariaDB's accounts and databases: one account per service, `runbook` for the runbooks. */
function databasesSql(): string {
  const dbs: Array<[string, string]> = [['keystone', 'keystone'], ['glance', 'glance'], ['placement', 'placement'],
    ['nova_api', 'nova'], ['nova', 'nova'], ['nova_cell0', 'nova'], ['cinder', 'cinder']];
  const lines = dbs.map(([d]) => `CREATE DATABASE IF NOT EXISTS \`${d}\`;`);
  for (const u of SERVICE_USERS) lines.push(`CREATE OR REPLACE USER '${u}'@'%' IDENTIFIED BY '${PASSWORDS.db(u)}';`);
  for (const [d, u] of dbs) lines.push(`GRANT ALL PRIVILEGES ON \`${d}\`.* TO '${u}'@'%';`);
  for (const host of ['%', 'localhost']) {
    lines.push(`CREATE OR REPLACE USER '${RUNBOOK_DB_USER.user}'@'${host}' IDENTIFIED BY '${RUNBOOK_DB_USER.password}';`);
    lines.push(`GRANT ALL PRIVILEGES ON *.* TO '${RUNBOOK_DB_USER.user}'@'${host}' WITH GRANT OPTION;`);
  }
  return lines.join('\n');
}

/** Each project's own schema, made by its own `db sync` (in parallel: mostly waiting on imports). */
async function syncSchemas(ctl: LabHost, log: Log): Promise<void> {
  const url = `http://ctl1:${API_PORTS.keystone}/v3/`;
  const jobs: Array<[string, string]> = [
    ['keystone', [
      as('keystone', 'keystone-manage db_sync'),
      as('keystone', 'keystone-manage fernet_setup --keystone-user keystone --keystone-group keystone'),
      as('keystone', 'keystone-manage credential_setup --keystone-user keystone --keystone-group keystone'),
      as('keystone', `keystone-manage bootstrap --bootstrap-password ${PASSWORDS.admin} --bootstrap-admin-url ${url} --bootstrap-internal-url ${url} --bootstrap-public-url ${url} --bootstrap-region-id RegionOne`),
    ].join(' && ')],
    ['glance', as('glance', 'glance-manage db_sync')],
    ['placement', as('placement', 'placement-manage db sync')],
    ['nova', [
      as('nova', 'nova-manage api_db sync'),
      as('nova', 'nova-manage cell_v2 map_cell0'),
      as('nova', 'nova-manage cell_v2 create_cell --name=cell1'),
      as('nova', 'nova-manage db sync'),
    ].join(' && ')],
    ['cinder', as('cinder', 'cinder-manage db sync')],
  ];
  await Promise.all(jobs.map(([name, script]) => phase(log, `${name} db sync`, () => must(ctl, `cd /tmp && ${script}`))));
}


/** keystone's catalog: the service users and roles, the services and their endpoints (names, never addresses). */
function catalogCommands(): string[] {
  // The `service` role: services' tokens carry it (nova sends service user tokens, and the
  // authtokens require the role on them: service_token_roles_required).
  const out = ['project create --domain default service', 'role create service'];
  for (const u of ['glance', 'placement', 'nova', 'cinder']) {
    out.push(`user create --domain default --password ${PASSWORDS.keystone(u)} ${u}`, `role add --project service --user ${u} admin`, `role add --project service --user ${u} service`);
  }
  const services: Array<[string, string, string]> = [
    ['glance', 'image', `http://ctl1:${API_PORTS['glance-api']}`],
    ['placement', 'placement', `http://ctl1:${API_PORTS['placement-api']}`],
    ['nova', 'compute', `http://ctl1:${API_PORTS['nova-api']}/v2.1`],
    ['cinderv3', 'volumev3', `http://ctl1:${API_PORTS['cinder-api']}/v3/%(project_id)s`],
    ['neutron', 'network', `http://ctl1:${API_PORTS['neutron-stub']}`],
  ];
  for (const [name, type, url] of services) {
    out.push(`service create --name ${name} ${type}`);
    for (const iface of ['public', 'internal', 'admin']) out.push(`endpoint create --region RegionOne ${type} ${iface} ${url}`);
  }
  return out;
}

const CONTROLLER_SERVICES = ['placement-api', 'glance-api', 'nova-api', 'nova-conductor', 'nova-scheduler', 'cinder-api', 'cinder-scheduler', 'cinder-volume', 'neutron-stub'];


/**
 * Builds the golden state in a lab whose hosts are up with the packages' files and the lab's
 * configs (prepare*Files): MariaDB's accounts and databases, every `db sync`, keystone's keys
 * and bootstrap, RabbitMQ's user, the catalog, every service started, computes discovered,
 * the seed. Leaves every service running.
 */
export async function buildGolden(ctl: LabHost, computes: readonly LabHost[], log: Log): Promise<void> {
  await phase(log, 'mariadb accounts and databases', () => must(ctl, `mysql --no-defaults -S /run/mysqld/mysqld.sock -u root <<'SQL'\n${databasesSql()}\nSQL`));
  await Promise.all([
    syncSchemas(ctl, log),
    phase(log, 'rabbitmq', () => must(ctl, `systemctl start rabbitmq-server && rabbitmqctl add_user openstack ${PASSWORDS.rabbit} && rabbitmqctl set_permissions openstack '.*' '.*' '.*'`)),
  ]);
  await phase(log, 'keystone start', () => must(ctl, 'systemctl start keystone'));
  await phase(log, 'catalog (service users, services, endpoints)', () => openstackBatch(ctl, 'lab', catalogCommands()));
  // After the catalog: nova-scheduler exits at start when placement has no endpoint.
  await phase(log, 'controller services start', () => must(ctl, `systemctl start ${CONTROLLER_SERVICES.join(' ')}`));
  await phase(log, 'nova-compute start and cell discovery', async () => {
    await mapLimit(computes, 4, (h) => must(h, 'systemctl start nova-compute'));
    await waitFor(ctl, 'compute discovery', `${as('nova', 'nova-manage cell_v2 discover_hosts')} >/dev/null 2>&1; [ "$(mysql --no-defaults -S /run/mysqld/mysqld.sock -u root -N -e 'SELECT COUNT(*) FROM nova_api.host_mappings')" -ge ${computes.length} ]`, 180);
  });
  await phase(log, 'seed (project, user, image, flavor, server, volume, credential)', () => seed(ctl));
  await phase(log, 'nova-status upgrade check', () => must(ctl, 'nova-status upgrade check >/tmp/nova-status.out 2>&1 || { cat /tmp/nova-status.out >&2; exit 1; }'));
}

/**
 * Stops every service of the hosts for a consistent state to copy: the OpenStack services
 * together (each takes up to 13 s to stop gracefully), then RabbitMQ, then MariaDB.
 */
export async function stopServices(hosts: readonly LabHost[], unitsOf: (h: LabHost) => string[]): Promise<void> {
  const last = ['rabbitmq-server', 'mariadb'];
  await mapLimit(hosts, 8, async (h) => {
    const names = unitsOf(h);
    const first = names.filter((n) => !last.includes(n));
    const then = last.filter((n) => names.includes(n));
    if (names.length > 0) await must(h, `for u in ${first.join(' ')}; do systemctl stop $u & done; wait; for u in ${then.join(' ')}; do systemctl stop $u; done`);
  });
}
