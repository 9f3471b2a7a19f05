import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabHandle, OPENSTACK_SEED, cirrosLabBytes, diffFingerprints, healthy, labDown, labUp } from '../../lab/api.js';

// The real-OpenStack lab (Debian 12's Zed packages): one lab for the file. The first run on a
// machine builds the golden state (10-15 min with the package install); later ones copy it.
const MINUTE = 60_000;
let dir: string;
let lab: LabHandle;
let namespaces: Set<string>;

async function ok(host: string, command: string): Promise<string> {
  const r = await lab.ssh(host, command);
  expect(r.code, `${host}: ${command}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

const openstack = (args: string): Promise<string> => ok('ctl1', `openstack --os-cloud lab ${args}`);

/** Processes living in one of the lab's hosts' namespaces ("pid cmdline"). */
function labProcesses(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '';
      if (stat.startsWith('Z')) continue; // killed, waiting for init to reap it
      if (namespaces.has(readlinkSync(`/proc/${pid}/ns/mnt`))) found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openstack-lab-'));
  lab = await labUp({ dir, kind: 'openstack', log: (line) => console.log(`lab: ${line}`) });
  namespaces = new Set(lab.hosts.map((h) => readFileSync(join(h.dir, 'state', 'mntns'), 'utf8')));
}, 40 * MINUTE);

afterAll(async () => {
  // By folder: an up that failed half-way has hosts running but returned no lab.
  if (dir) await labDown(dir);
  rmSync(dir, { recursive: true, force: true });
}, 5 * MINUTE);

describe('the real-OpenStack lab', { timeout: 5 * MINUTE }, () => {
  it('is healthy: every unit answers and keystone issues a token', async () => {
    const hosts = await lab.status();
    expect(hosts.flatMap((h) => h.services.filter((s) => s.state !== 'active').map((s) => `${h.name} ${s.name} ${s.state} ${s.detail}`))).toEqual([]);
    expect(healthy(hosts)).toBe(true);
    expect(hosts.find((h) => h.name === 'ctl1')?.services.map((s) => s.name)).toEqual([
      'mariadb', 'rabbitmq-server', 'keystone', 'placement-api', 'glance-api', 'nova-api', 'nova-conductor', 'nova-scheduler',
      'cinder-api', 'cinder-scheduler', 'cinder-volume', 'neutron-stub', 'api: token issue',
    ]);
  });

  it('issues a token through the API from ctl1 over ssh', async () => {
    expect((await openstack('token issue -f value -c id')).trim()).toMatch(/^gAAAA/);
  });

  it('serves the seeded image, byte for byte', async () => {
    const sum = await ok('ctl1', `openstack --os-cloud lab image save --file /var/tmp/saved.img ${OPENSTACK_SEED.image} && sha256sum /var/tmp/saved.img && rm /var/tmp/saved.img`);
    expect(sum.split(' ')[0]).toBe(createHash('sha256').update(cirrosLabBytes()).digest('hex'));
    expect(await openstack(`image show -f value -c properties ${OPENSTACK_SEED.image}`)).toContain('q35');
  });

  it('lists the seeded server ACTIVE and the volume available', async () => {
    expect(await openstack('server list --all-projects -f value -c Name -c Status')).toContain(`${OPENSTACK_SEED.server} ACTIVE`);
    expect(await openstack('volume list --all-projects -f value -c Name -c Status')).toContain(`${OPENSTACK_SEED.volume} available`);
    expect(await openstack('ec2 credentials list --user demo -f value -c Access')).toMatch(/\w{16,}/);
  });

  it('has its compute and volume services up, and nova-status passes', async () => {
    const compute = (await openstack('compute service list -f value -c Binary -c Host -c State')).trim().split('\n').sort();
    expect(compute).toEqual(['nova-compute cmp1 up', 'nova-compute cmp2 up', 'nova-conductor ctl1 up', 'nova-scheduler ctl1 up']);
    const volume = (await openstack('volume service list -f value -c Binary -c Host -c State')).trim().split('\n').sort();
    expect(volume).toEqual(['cinder-scheduler ctl1 up', 'cinder-volume ctl1@fake up']);
    await ok('ctl1', 'nova-status upgrade check');
  });

  it('fingerprints the same twice, with owners as names', async () => {
    const a = await lab.fingerprint();
    const b = await lab.fingerprint();
    expect(diffFingerprints(a, b)).toEqual([]);
    const keystone = a.hosts['ctl1']?.paths['/etc/keystone'];
    expect(keystone && 'entries' in keystone ? keystone.entries['fernet-keys'] : undefined).toMatch(/^dir 0700 keystone:keystone$/);
    const dbs = a.hosts['ctl1']?.databases;
    expect(dbs?.ok ? Object.keys(dbs.databases).sort() : dbs).toEqual(['cinder', 'glance', 'keystone', 'nova', 'nova_api', 'nova_cell0', 'placement']);
  });

  it('reports a killed nova-conductor, and is healthy again once systemctl starts it', async () => {
    await lab.fault({ kind: 'kill-service', host: 'ctl1', service: 'nova-conductor' });
    const broken = await lab.status();
    expect(healthy(broken)).toBe(false);
    expect(broken.find((h) => h.name === 'ctl1')?.services.find((s) => s.name === 'nova-conductor')?.state).toBe('failed');
    await ok('ctl1', 'systemctl start nova-conductor');
    expect(healthy(await lab.status())).toBe(true);
  });

  it('drops keystone\'s database while a connection holds a transaction open on it', async () => {
    // An idle connection inside an open transaction holds a metadata lock on keystone's tables,
    // as keystone's pool does: a plain DROP DATABASE would wait on it for a year.
    const holder = lab.ssh('ctl1', `MYSQL_PWD=keystone-lab-pass mysql -h ctl1 -u keystone keystone -e 'BEGIN; SELECT COUNT(*) FROM project; SELECT SLEEP(3600)'`);
    await ok('ctl1', `i=0; until mysql -N -e "SELECT COUNT(*) FROM information_schema.processlist WHERE db = 'keystone' AND info LIKE 'SELECT SLEEP%'" | grep -qx 1; do i=$((i+1)); [ $i -lt 100 ] || exit 1; sleep 0.2; done`);
    const result = await lab.fault({ kind: 'drop-database', database: 'keystone' });
    expect(result.description).toMatch(/ended \d+ connection/);
    expect((await holder).code).not.toBe(0); // its connection was ended
    expect(await ok('ctl1', 'mysql -N -e "SHOW DATABASES"')).not.toMatch(/^keystone$/m);
    const after = await lab.status();
    expect(after.find((h) => h.name === 'ctl1')?.services.find((s) => s.name === 'api: token issue')?.state).toBe('activating');
  });

  it('wipes MariaDB\'s datadir as a reinstalled package leaves it, mariadb running', async () => {
    await lab.fault({ kind: 'wipe-datadir' });
    expect((await ok('ctl1', 'systemctl is-active mariadb')).trim()).toBe('active');
    expect((await ok('ctl1', 'mysql -N -e "SHOW DATABASES"')).trim().split('\n').sort()).toEqual(['information_schema', 'mysql', 'performance_schema', 'sys']);
    expect(await ok('ctl1', `mysql -N -e "SELECT CONCAT(User,'@',Host) FROM mysql.user"`)).not.toMatch(/nova|keystone|runbook/);
    expect((await ok('ctl1', 'stat -c %U /var/lib/mysql/mysql')).trim()).toBe('mysql');
  });

  it('down leaves no process of the lab', async () => {
    expect(labProcesses().length).toBeGreaterThan(10);
    await labDown(lab);
    expect(labProcesses()).toEqual([]);
  });
});
