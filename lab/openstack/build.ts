import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabHost } from '../config.js';
import { mapLimit, mustRun } from '../exec.js';
import { hostPath, hostShell, mustHostShell } from '../namespace.js';
import { RUNBOOK_DB_USER } from '../seed/index.js';
import {
  KEYSTONE_URL, PASSWORDS, SERVICE_USERS, cinderConf, glanceApiConf, keystoneConf, novaComputeConf, novaConf, placementConf,
} from './configs.js';
import { API_PORTS } from './ports.js';

/** Progress of the golden build: one line per phase with its time. */
export type Log = (line: string) => void;

/** The seeded image: 1 MiB of deterministic bytes (sha256 chain), the same on every machine. */
export function cirrosLabBytes(): Buffer {
  const chunks: Buffer[] = [];
  let block = createHash('sha256').update('runbook-lab cirros-lab').digest();
  for (let i = 0; i < (1024 * 1024) / 32; i++) {
    chunks.push(block);
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat(chunks);
}

/** What the golden build seeds through the APIs (lab/README.md). */
export const OPENSTACK_SEED = {
  project: 'demo',
  user: 'demo',
  image: 'cirros-lab',
  flavor: 'm1.lab',
  server: 'lab-server-1',
  volume: 'lab-volume-1',
} as const;

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

const as = (user: string, command: string): string => `setpriv --reuid=${user} --regid=${user} --init-groups -- ${command}`;
const ONE_TIME = { timeoutMs: 15 * 60_000 };

async function phase<T>(log: Log, name: string, work: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  log(`openstack build: ${name} ...`);
  const out = await work();
  log(`openstack build: ${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return out;
}

/** Runs a script on the host as root and throws with its output when it fails. */
const must = (host: LabHost, script: string): Promise<string> => mustHostShell(host, script, ONE_TIME);

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

/** One `openstack` process fed commands on stdin (each CLI start costs 2-3 s). No quoted spaces (it does not honour quotes). */
async function openstackBatch(ctl: LabHost, cloud: string, commands: string[], options = ''): Promise<string> {
  const r = await hostShell(ctl, `openstack --os-cloud ${cloud} ${options}`, { ...ONE_TIME, input: `${commands.join('\n')}\n` });
  if (r.code !== 0 || /^(Error|.*Exception|.*HTTP 4\d\d|.*HTTP 5\d\d)/m.test(r.stderr)) {
    throw new Error(`lab: openstack (${cloud}) failed (exit ${r.code}): ${r.stderr.trim().slice(-1500)}`);
  }
  return r.stdout;
}

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

/** Polls a shell condition on a host (exit 0 = done) until it holds, at most `seconds`. */
async function waitFor(host: LabHost, what: string, condition: string, seconds: number): Promise<void> {
  const script = `i=0; until ${condition}; do i=$((i+1)); [ $i -le ${seconds / 2} ] || exit 1; sleep 2; done`;
  const r = await hostShell(host, script, ONE_TIME);
  if (r.code !== 0) throw new Error(`lab: ${what} did not happen within ${seconds} s on ${host.name}`);
}

/** The seed, through the APIs: demo project and user, image, flavor, EC2 credential, a server, a volume. */
async function seed(ctl: LabHost): Promise<void> {
  const s = OPENSTACK_SEED;
  const image = join(hostPath(ctl, '/var/tmp'), 'cirros-lab.img');
  writeFileSync(image, cirrosLabBytes());
  await openstackBatch(ctl, 'lab', [
    `project create --domain default ${s.project}`,
    `user create --domain default --project ${s.project} --password ${PASSWORDS.demo} ${s.user}`,
    `role add --project ${s.project} --user ${s.user} member`,
    `flavor create --id 1 --ram 64 --disk 1 --vcpus 1 ${s.flavor}`,
    `image create --file /var/tmp/cirros-lab.img --disk-format raw --container-format bare --public --property hw_machine_type=q35 ${s.image}`,
    `ec2 credentials create --project ${s.project} --user ${s.user}`,
  ]);
  await must(ctl, 'rm -f /var/tmp/cirros-lab.img');
  await openstackBatch(ctl, 'demo', [
    `server create --flavor ${s.flavor} --image ${s.image} --nic none --wait ${s.server}`,
    `volume create --size 1 ${s.volume}`,
  ], '--os-compute-api-version 2.37'); // --nic none needs 2.37
  await waitFor(ctl, `volume ${s.volume} available`, `[ "$(openstack --os-cloud demo volume show -f value -c status ${s.volume})" = available ]`, 120);
  const status = (await must(ctl, `openstack --os-cloud demo server show -f value -c status ${s.server}`)).trim();
  if (status !== 'ACTIVE') throw new Error(`lab: seeded server ${s.server} is ${status}, not ACTIVE`);
}

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

export { KEYSTONE_URL };
