import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fingerprint, type LabHandle, RUNBOOK_DB_USER, diffFingerprints, healthy, labDown, labUp } from '../../lab/api.js';

// One lab for this file: up once, every test leaves it healthy and as seeded.
let dir: string;
let lab: LabHandle;
let seeded: Fingerprint;

async function ok(host: string, command: string): Promise<string> {
  const r = await lab.ssh(host, command);
  expect(r.code, `${host}: ${command}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/**
 * Processes of the lab: those living in one of its hosts' namespaces, or whose command line
 * mentions the lab folder. Each as "pid starttime cmdline", which stays unique when pids are reused.
 */
function labProcesses(namespaces: Set<string>): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const ns = readlinkSync(`/proc/${pid}/ns/mnt`);
      const start = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19];
      if (cmdline.includes(dir) || namespaces.has(ns)) found.push(`${pid} ${start} ${cmdline}`);
    } catch {
      // gone meanwhile, or a zombie
    }
  }
  return found;
}

/** SIGKILL is delivered asynchronously: wait until each pid is gone or a zombie (this VM's init reaps late). */
async function waitUntilDead(pids: number[]): Promise<void> {
  const alive = (pid: number): boolean => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 100 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
}

const namespacesOf = (l: LabHandle): Set<string> =>
  new Set(l.hosts.map((h) => readFileSync(join(h.dir, 'state', 'mntns'), 'utf8')));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-lab-'));
  lab = await labUp({ dir });
  seeded = await lab.fingerprint();
});

afterAll(async () => {
  if (lab) await labDown(lab);
  rmSync(dir, { recursive: true, force: true });
});

describe('lab up', () => {
  // How long `up` takes is measured and reported in lab/README.md, not asserted here.
  it('brings up ctl1, cmp1, cmp2 and stor1 with their roles', () => {
    expect(lab.hosts.map((h) => `${h.name}:${h.role}`)).toEqual(['ctl1:controller', 'cmp1:compute', 'cmp2:compute', 'stor1:storage']);
  });

  it('writes an Ansible inventory that points at the lab key and known_hosts', () => {
    const text = readFileSync(lab.inventory, 'utf8');
    expect(text.startsWith('# yaml-language-server: $schema=../schemas/inventory.schema.json\n')).toBe(true);
    expect(text).toContain('runbook_known_hosts: ../ssh/known_hosts');
    expect(text).toContain('ansible_ssh_private_key_file: ../ssh/id_ed25519');
    expect(text).toContain('runbook_drillable: true');
    for (const h of lab.hosts) expect(text).toContain(`${h.name}: { ansible_host: ${h.address}, ansible_port: ${h.port} }`);
    const known = readFileSync(lab.knownHosts, 'utf8').trim().split('\n');
    expect(known.map((l) => l.split(' ')[0])).toEqual(lab.hosts.map((h) => `[${h.address}]:${h.port}`));
  });

  it('reaches every host over ssh with host key checking, each with its own name and a plain home', async () => {
    for (const h of lab.hosts) {
      const out = await ok(h.name, 'hostname; echo "pyenv=${PYENV_ROOT:-none}"; command -v systemctl; grep -c pyenv ~/.bashrc || true');
      expect(out.split('\n').slice(0, 4)).toEqual([h.name, 'pyenv=none', '/usr/local/sbin/systemctl', '0']);
    }
  });

  it('refuses a host whose key is not in known_hosts (strict checking is real)', async () => {
    const ctl = lab.host('ctl1');
    const empty = join(dir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const { run } = await import('../../lab/exec.js');
    const r = await run('ssh', ['-F', '/dev/null', '-i', lab.privateKey, '-o', `UserKnownHostsFile=${empty}`, '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-p', String(ctl.port), `root@${ctl.address}`, 'true']);
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/Host key verification failed/);
  });

  it('runs a real MariaDB on ctl1 with seeded OpenStack databases', async () => {
    const counts = await ok('ctl1', `mysql -N -B -e "SELECT (SELECT COUNT(*) FROM nova.instances), (SELECT COUNT(*) FROM nova.compute_nodes), (SELECT COUNT(*) FROM glance.images), (SELECT COUNT(*) FROM keystone.user), (SELECT COUNT(*) FROM cinder.volumes)"`);
    const [instances, nodes, images, users, volumes] = counts.trim().split('\t').map(Number);
    expect(instances).toBeGreaterThan(100);
    expect(nodes).toBe(2);
    expect(images).toBeGreaterThan(0);
    expect(users).toBeGreaterThan(0);
    expect(volumes).toBeGreaterThan(0);
    // The runbook account works over TCP from another host.
    const r = await ok('stor1', `MYSQL_PWD=${RUNBOOK_DB_USER.password} mysql -h ctl1 -u ${RUNBOOK_DB_USER.user} -N -e 'SELECT COUNT(*) FROM nova_api.cell_mappings'`);
    expect(r.trim()).toBe('2');
  });

  it('has every service healthy, by lab status and by systemctl over ssh', async () => {
    expect(healthy(await lab.status())).toBe(true);
    expect(await ok('ctl1', 'systemctl is-active mariadb nova-api nova-scheduler nova-conductor nova-novncproxy')).toBe('active\n'.repeat(5));
    expect((await ok('cmp1', 'systemctl is-active nova-compute')).trim()).toBe('active');
    expect((await ok('stor1', 'systemctl is-active cinder-volume')).trim()).toBe('active');
  });

  it('carries realistic data: sparse instance disks, swift rings, glance images', async () => {
    const disks = await ok('cmp1', "find /var/lib/nova/instances -name disk | head -n 1 | xargs stat -c '%s %b'");
    const [size, blocks] = disks.trim().split(' ').map(Number);
    expect(size).toBe(10 * 1024 ** 3);
    expect(blocks).toBeLessThan(100);
    expect(await ok('stor1', 'cd /etc/swift && ls *.ring.gz *.builder | sort | tr "\\n" " "')).toBe(
      'account.builder account.ring.gz container.builder container.ring.gz object.builder object.ring.gz ');
    expect(Number(await ok('ctl1', 'ls /var/lib/glance/images | wc -l'))).toBeGreaterThan(0);
  });
});

describe('isolation between hosts', () => {
  it('shows a file written on cmp1 to cmp1 only', async () => {
    await ok('cmp1', 'echo mine > /etc/nova/isolation-probe');
    expect((await ok('cmp1', 'cat /etc/nova/isolation-probe')).trim()).toBe('mine');
    for (const other of ['ctl1', 'cmp2', 'stor1']) {
      expect((await lab.ssh(other, 'test -e /etc/nova/isolation-probe')).code).toBe(1);
    }
    expect(existsSync('/etc/nova/isolation-probe')).toBe(false);
    await ok('cmp1', 'rm /etc/nova/isolation-probe');
  });
});

describe('systemctl on lab hosts', () => {
  it('stops and starts a service, which outlives the ssh session that started it', async () => {
    await ok('ctl1', 'systemctl stop nova-api');
    const stopped = await lab.ssh('ctl1', 'systemctl is-active nova-api');
    expect([stopped.code, stopped.stdout.trim()]).toEqual([3, 'inactive']);
    await ok('ctl1', 'systemctl start nova-api.service');
    expect((await ok('ctl1', 'systemctl is-active nova-api')).trim()).toBe('active');
    expect(await ok('ctl1', 'systemctl status nova-api')).toMatch(/Active: active \(running\)/);
    expect((await lab.ssh('ctl1', 'systemctl status no-such-thing')).code).toBe(4);
  });
});

describe('faults', () => {
  it('drop-database: nova is gone, nova-api is unhealthy; a restore of the dump brings the fingerprint back', async () => {
    await ok('ctl1', 'mysqldump --databases nova > /var/backups/nova.sql');
    const before = await lab.fingerprint();
    await lab.fault({ kind: 'drop-database', database: 'nova' });
    const after = await lab.fingerprint();
    expect(diffFingerprints(before, after)).toEqual(['ctl1 db nova: dropped']);
    const r = await lab.ssh('ctl1', 'systemctl is-active nova-api; systemctl status nova-api');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/Unknown database 'nova'/);
    await ok('ctl1', 'mysql < /var/backups/nova.sql && rm /var/backups/nova.sql');
    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
    expect((await ok('ctl1', 'systemctl is-active nova-api')).trim()).toBe('active');
  });

  it('drop-table: fingerprint names the table; restoring it brings the fingerprint back', async () => {
    await ok('ctl1', 'mysqldump keystone user > /var/backups/user.sql');
    const before = await lab.fingerprint('ctl1');
    await lab.fault({ kind: 'drop-table', database: 'keystone', table: 'user' });
    expect(diffFingerprints(before, await lab.fingerprint('ctl1'))).toEqual([expect.stringMatching(/^ctl1 db keystone\.user: rows \d+ -> absent$/)]);
    await ok('ctl1', 'mysql keystone < /var/backups/user.sql && rm /var/backups/user.sql');
    expect(diffFingerprints(before, await lab.fingerprint('ctl1'))).toEqual([]);
  });

  it('delete-path: /etc/nova on cmp1 is emptied, nova-compute fails; tar restore brings it back', async () => {
    await ok('cmp1', 'tar -C /etc/nova -cpf /var/backups/etc-nova.tar .');
    const before = await lab.fingerprint('cmp1');
    await lab.fault({ kind: 'delete-path', host: 'cmp1', path: '/etc/nova' });
    expect(await ok('cmp1', 'ls -A /etc/nova')).toBe('');
    const diff = diffFingerprints(before, await lab.fingerprint('cmp1'));
    expect(diff).toContainEqual(expect.stringMatching(/^cmp1 \/etc\/nova\/nova\.conf: file 0640 0:64060 \d+ [0-9a-f]{64} -> absent$/));
    expect((await lab.ssh('cmp1', 'systemctl is-active nova-compute')).code).toBe(3);
    await ok('cmp1', 'tar -C /etc/nova -xpf /var/backups/etc-nova.tar && rm /var/backups/etc-nova.tar');
    expect(diffFingerprints(before, await lab.fingerprint('cmp1'))).toEqual([]);
    expect((await ok('cmp1', 'systemctl is-active nova-compute')).trim()).toBe('active');
  });

  it('corrupt-file: a swift ring on stor1 is unreadable, swift-proxy fails; copying it back restores it', async () => {
    await ok('stor1', 'cp -a /etc/swift/object.ring.gz /var/backups/object.ring.gz');
    const before = await lab.fingerprint('stor1');
    await lab.fault({ kind: 'corrupt-file', host: 'stor1', path: '/etc/swift/object.ring.gz' });
    const diff = diffFingerprints(before, await lab.fingerprint('stor1'));
    expect(diff).toHaveLength(1);
    expect(diff[0]).toMatch(/^stor1 \/etc\/swift\/object\.ring\.gz: /);
    const r = await lab.ssh('stor1', 'systemctl status swift-proxy');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/unreadable \/etc\/swift\/object\.ring\.gz/);
    await ok('stor1', 'cp -a /var/backups/object.ring.gz /etc/swift/object.ring.gz && rm /var/backups/object.ring.gz');
    expect(diffFingerprints(before, await lab.fingerprint('stor1'))).toEqual([]);
  });

  it('kill-service: nova-conductor is failed, data untouched; heal starts it', async () => {
    const before = await lab.fingerprint('ctl1');
    await lab.fault({ kind: 'kill-service', host: 'ctl1', service: 'nova-conductor' });
    const r = await lab.ssh('ctl1', 'systemctl is-active nova-conductor');
    expect([r.code, r.stdout.trim()]).toEqual([3, 'failed']);
    expect(diffFingerprints(before, await lab.fingerprint('ctl1'))).toEqual([]);
    await lab.heal({ kind: 'kill-service', host: 'ctl1', service: 'nova-conductor' });
    expect((await ok('ctl1', 'systemctl is-active nova-conductor')).trim()).toBe('active');
  });

  it('kill-service mariadb: every database service on ctl1 turns unhealthy, the fingerprint says so', async () => {
    await lab.fault({ kind: 'kill-service', host: 'ctl1', service: 'mariadb' });
    const fp = await lab.fingerprint('ctl1');
    expect(fp.hosts['ctl1']!.databases).toMatchObject({ ok: false });
    expect((await lab.ssh('ctl1', 'systemctl is-active nova-api')).code).toBe(3);
    await lab.heal({ kind: 'kill-service', host: 'ctl1', service: 'mariadb' });
    expect(diffFingerprints(seeded, await lab.fingerprint())).toEqual([]);
  });

  it('stop-sshd: cmp2 is unreachable while its services run; heal brings the same host key back', async () => {
    await lab.fault({ kind: 'stop-sshd', host: 'cmp2' });
    const r = await lab.ssh('cmp2', 'true');
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/Connection refused/);
    const status = (await lab.status()).find((h) => h.name === 'cmp2');
    expect(status).toMatchObject({ up: true, sshd: false, services: [{ name: 'nova-compute', state: 'active' }] });
    await lab.heal({ kind: 'stop-sshd', host: 'cmp2' });
    expect((await ok('cmp2', 'hostname')).trim()).toBe('cmp2');
  });

  it('fill-backups: writes to /var/backups on stor1 fail with ENOSPC; heal keeps what was there', async () => {
    await ok('stor1', 'echo kept > /var/backups/old-backup');
    await lab.fault({ kind: 'fill-backups', host: 'stor1' });
    const r = await lab.ssh('stor1', 'dd if=/dev/zero of=/var/backups/new bs=64k count=4');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/No space left on device/);
    expect((await ok('stor1', 'cat /var/backups/old-backup')).trim()).toBe('kept');
    // Other hosts' /var/backups are not affected.
    await ok('ctl1', 'dd if=/dev/zero of=/var/backups/new bs=64k count=4 status=none && rm /var/backups/new');
    await lab.heal({ kind: 'fill-backups', host: 'stor1' });
    await ok('stor1', 'dd if=/dev/zero of=/var/backups/new bs=64k count=4 status=none');
    expect((await ok('stor1', 'ls /var/backups | sort | tr "\\n" " "'))).toBe('new old-backup ');
    await ok('stor1', 'rm /var/backups/new /var/backups/old-backup');
  });
});

describe('lab down and up again', () => {
  it('the fingerprint is what was seeded after all the faults were repaired', async () => {
    expect(diffFingerprints(seeded, await lab.fingerprint())).toEqual([]);
  });

  it('down leaves no process; a fresh up brings the same lab back', async () => {
    const namespaces = namespacesOf(lab);
    expect(labProcesses(namespaces).length).toBeGreaterThan(0);
    await labDown(lab);
    expect(labProcesses(namespaces)).toEqual([]);
    lab = await labUp({ dir });
    expect(healthy(await lab.status())).toBe(true);
    expect(await lab.fingerprint()).toEqual(seeded);
  });

  it('up after a crash (hosts killed, services and mounts left behind) recovers', async () => {
    const namespaces = namespacesOf(lab);
    const holders = lab.hosts.map((h) => Number(readFileSync(join(h.dir, 'state', 'holder.pid'), 'utf8')));
    for (const pid of holders) process.kill(pid, 'SIGKILL');
    await waitUntilDead(holders);
    const orphans = labProcesses(namespaces);
    expect(orphans.filter((p) => p.includes('lab-host:'))).toEqual([]);
    expect(orphans.length).toBeGreaterThan(10); // sshd, mariadb and services outlive their host's holder
    lab = await labUp({ dir });
    // Namespace ids are reused by the new hosts: compare processes, not namespaces.
    const now = new Set(labProcesses(namespacesOf(lab)));
    expect(orphans.filter((p) => now.has(p))).toEqual([]);
    expect(healthy(await lab.status())).toBe(true);
    expect((await ok('ctl1', 'hostname')).trim()).toBe('ctl1');
  });
});
