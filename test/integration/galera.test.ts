import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fingerprint, labUp, type LabHandle } from '../../lab/api.js';
import type { DrillReport } from '../../src/drill/report-model.js';
import { labRuns } from '../support/lab-runs.js';

// One Galera lab (ctl1..ctl3 as one cluster) for the file: the drills in a row, each leaving the
// cluster whole for the next, then the crash whose members stopped at different seqnos.
const MEMBERS = ['ctl1', 'ctl2', 'ctl3'] as const;
let lab: LabHandle;
let state: string;
const runs = labRuns(() => lab, () => state);

/** Every member's wsrep status: state, cluster size, state UUID, last committed seqno. */
async function members(): Promise<Array<{ name: string; state: string; size: number; uuid: string; seqno: number }>> {
  return Promise.all(MEMBERS.map(async (name) => {
    const out = await runs.ssh(name, `mysql -N -B -e "SET SESSION wsrep_sync_wait = 1; SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment','wsrep_cluster_size','wsrep_cluster_state_uuid','wsrep_last_committed')"`);
    const s = new Map(out.trim().split('\n').map((l) => l.split('\t') as [string, string]));
    return { name, state: s.get('wsrep_local_state_comment') ?? '', size: Number(s.get('wsrep_cluster_size')), uuid: s.get('wsrep_cluster_state_uuid') ?? '', seqno: Number(s.get('wsrep_last_committed')) };
  }));
}

/** All three Synced in a cluster of three, with one state UUID and seqno. */
async function expectClusterWhole(): Promise<void> {
  const all = await members();
  for (const m of all) expect(m, m.name).toMatchObject({ state: 'Synced', size: 3 });
  expect(new Set(all.map((m) => `${m.uuid}:${m.seqno}`)).size, JSON.stringify(all)).toBe(1);
}

/** Each member's databases, table by table (the lab fingerprint's per-table digests). */
function databasesOf(fp: Fingerprint, host: string): unknown {
  const d = fp.hosts[host]?.databases;
  expect(d?.ok, `${host}: ${JSON.stringify(d)}`).toBe(true);
  return d?.ok ? { databases: d.databases, accounts: d.accounts } : undefined;
}

/** Every member's databases equal `expected` table by table. */
async function expectDatabases(expected: unknown): Promise<void> {
  const fp = await lab.fingerprint();
  for (const m of MEMBERS) expect(databasesOf(fp, m), m).toEqual(expected);
}

function reportOf(stdout: string): DrillReport {
  const path = /^report: (.+)$/m.exec(stdout)?.[1];
  expect(path, stdout).toBeDefined();
  return JSON.parse(readFileSync(join(dirname(path!), 'report.json'), 'utf8')) as DrillReport;
}

const grastates = (): string[] => lab.hosts.filter((h) => h.role === 'controller').map((h) => readFileSync(join(h.dir, 'fs', 'var', 'lib', 'mysql', 'grastate.dat'), 'utf8'));

let seeded: unknown;

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-galera-')), galera: true });
  state = mkdtempSync(join(tmpdir(), 'runbook-galera-'));
  seeded = databasesOf(await lab.fingerprint(), 'ctl1');
}, 300_000);

afterAll(async () => {
  await lab?.down();
});

describe('the Galera lab', () => {
  it('runs ctl1..ctl3 as one cluster of three, Synced, with the same databases on every member', async () => {
    await expectClusterWhole();
    await expectDatabases(seeded);
    const status = await lab.status();
    for (const m of MEMBERS) {
      expect(status.find((h) => h.name === m)?.services.find((s) => s.name === 'galera')).toMatchObject({ state: 'active', detail: expect.stringMatching(/^Synced, cluster size 3, state uuid [0-9a-f-]{36}, seqno \d+$/) });
    }
  });

  it('replicates a write on one member to the others (and a DROP DATABASE too)', async () => {
    await runs.ssh('ctl3', "mysql -e 'CREATE DATABASE galera_probe; CREATE TABLE galera_probe.t (id INT PRIMARY KEY); INSERT INTO galera_probe.t VALUES (7)'");
    expect((await runs.ssh('ctl1', 'mysql -N -B -e "SET SESSION wsrep_sync_wait = 1; SELECT id FROM galera_probe.t"')).trim()).toBe('7');
    await lab.fault({ kind: 'drop-database', database: 'galera_probe' });
    expect(await runs.ssh('ctl3', 'mysql -N -B -e "SET SESSION wsrep_sync_wait = 1; SHOW DATABASES LIKE \'galera_probe\'"')).toBe('');
    await expectDatabases(seeded);
  });
});

describe('recover-galera-crash refuses a cluster that is up', () => {
  it('fails on its first step, naming the member in a primary component, and changes nothing', async () => {
    const before = await members();
    const r = await runs.exec('recover-galera-crash', '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('runs in a primary component');
    expect(r.stdout).toMatch(/changed=0/);
    expect((await members()).map((m) => m.state)).toEqual(before.map((m) => m.state));
  });
});

describe('drills on the Galera lab', () => {
  it('galera-node-loss: the member whose datadir was lost rejoins by SST and holds what the others hold', async () => {
    const r = await runs.cli('drill', 'galera-node-loss', '-i', lab.inventory, '--state-dir', state);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = reportOf(r.stdout);
    expect(report.measured.rtoMs).toBeGreaterThan(0);
    expect(report.objectives.rto).toMatchObject({ met: true });
    expect(report.objectives.rpo).toMatchObject({ met: true });
    // The cluster never stopped: every marker, before and after the backup, is still there.
    expect(report.markers.map((m) => m.fate).sort()).toEqual(['restored', 'survived']);
    expect(await runs.ssh('ctl2', 'grep -a "SST" /var/log/mysql/error.log | tail -n 50')).toMatch(/rsync SST completed on joiner|SST (succeeded|received)/i);
    await expectClusterWhole();
    await expectDatabases(seeded);
  });

  it('galera-cluster-crash: members stopped at different seqnos, the last killed; bootstrapped from the most advanced, the rows written just before the crash are on every member', async () => {
    const r = await runs.cli('drill', 'galera-cluster-crash', '-i', lab.inventory, '--state-dir', state);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // ctl2 took the last commit alone and died: only --wsrep-recover knew its position.
    expect(r.stdout).toMatch(/STEP \[bootstrap\][^]*?changed: \[ctl2\]/);
    expect(r.stdout).toMatch(/ok: both rows committed while members were leaving, the last on ctl2 alone, are on every member/);
    const report = reportOf(r.stdout);
    expect(report.objectives.rto).toMatchObject({ met: true });
    expect(report.markers.map((m) => m.fate).sort()).toEqual(['restored', 'survived']);
    await expectClusterWhole();
    await expectDatabases(seeded);
  });
});

describe('backups and data loss on the Galera lab', () => {
  const desync = (host: string): Promise<string> => runs.ssh(host, 'mysql -N -B -e "SELECT @@global.wsrep_desync"');

  it('backup-db dumps from the backup member only, desynchronised while it dumps, and records the cluster position', async () => {
    const r = await runs.exec('backup-db', '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/STEP \[galera-desync\][^]*?changed: \[ctl3\]/);
    expect(r.stdout).toMatch(/STEP \[store-cluster-dumps\][^]*?changed: \[ctl3\]/);
    expect(r.stdout).toMatch(/STEP \[galera-resync\][^]*?changed: \[ctl3\]/);
    for (const m of MEMBERS) expect((await desync(m)).trim(), m).toBe('0');
    const backups = (await runs.ssh('stor1', 'ls /var/backups/openstack/db')).trim().split('\n');
    expect(backups).toEqual(['ctl3']);
    const manifest = JSON.parse(await runs.ssh('stor1', 'cat "$(ls -d /var/backups/openstack/db/ctl3/* | tail -n 1)/manifest.json"')) as { contents: { galera: { uuid: string; seqno: string } } };
    const [now] = await members();
    expect(manifest.contents.galera.uuid).toBe(now!.uuid);
    expect(Number(manifest.contents.galera.seqno)).toBeGreaterThan(0);
    expect(Number(manifest.contents.galera.seqno)).toBeLessThanOrEqual(now!.seqno);
  });

  it('backup-db refuses a cluster whose inventory declares no backup member, rather than dump once per member', async () => {
    const inventory = join(dirname(lab.inventory), 'no-backup-member.yaml');
    writeFileSync(inventory, readFileSync(lab.inventory, 'utf8').replace('      vars:\n        galera_backup_member: ctl3\n', ''));
    const before = await runs.ssh('stor1', 'find /var/backups/openstack -name manifest.json | sort');
    const r = await runs.cli('exec', 'backup-db', '-i', inventory, '--state-dir', state, '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('is a Galera cluster member: set galera_backup_member');
    expect(await runs.ssh('stor1', 'find /var/backups/openstack -name manifest.json | sort')).toBe(before);
  });

  it('backup-db puts the member back in flow control when the backup fails (the storage node is full)', async () => {
    // 200000 md5 sums: megabytes even gzipped, more than the full filesystem leaves.
    await runs.ssh('ctl3', 'mysql -e "CREATE DATABASE galera_full; CREATE TABLE galera_full.t (id INT PRIMARY KEY, pad CHAR(32)); USE galera_full; INSERT INTO t SELECT seq, MD5(seq) FROM seq_1_to_200000"');
    await lab.fault({ kind: 'fill-backups', host: 'stor1' });
    try {
      const r = await runs.exec('backup-db', '--yes');
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(/rolled-back: \[ctl3\] galera-desync/);
    } finally {
      await lab.heal({ kind: 'fill-backups', host: 'stor1' });
      await runs.ssh('ctl3', 'mysql -e "DROP DATABASE IF EXISTS galera_full"');
    }
    for (const m of MEMBERS) expect((await desync(m)).trim(), m).toBe('0');
  });

  it('galera-data-loss: the databases dropped on every member come back from the backup member; the others take the import by replication', async () => {
    const r = await runs.cli('drill', 'galera-data-loss', '-i', lab.inventory, '--state-dir', state);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = reportOf(r.stdout);
    expect(report.objectives.rto).toMatchObject({ met: true });
    expect(report.objectives.rpo).toMatchObject({ met: true });
    // The row written after the backup is the loss; the one before it came back.
    expect(report.markers.map((m) => `${m.stage} ${m.fate}`).sort()).toEqual(['after-backup lost', 'before-backup restored']);
    await expectClusterWhole();
    await expectDatabases(seeded);
  });
});

describe('a crash whose members stopped at different seqnos', () => {
  const rows = (host: string): Promise<string> => runs.ssh(host, 'mysql -N -B -e "SELECT id, phase FROM galera_seqno.t ORDER BY id" | paste -sd" "');

  it('bootstraps from the most advanced member, never the least advanced, and loses no committed row', async () => {
    await runs.ssh('ctl1', "mysql -e 'CREATE DATABASE galera_seqno; CREATE TABLE galera_seqno.t (id INT PRIMARY KEY, phase VARCHAR(8))'");
    // ctl1 leaves first (least advanced), ctl3 next; ctl2 alone takes the last write, then dies.
    await lab.fault({ kind: 'galera-stop-member', host: 'ctl1' });
    await runs.ssh('ctl2', "mysql -e \"INSERT INTO galera_seqno.t VALUES (1, 'two'), (2, 'two')\"");
    await lab.fault({ kind: 'galera-stop-member', host: 'ctl3' });
    await runs.ssh('ctl2', "mysql -e \"INSERT INTO galera_seqno.t VALUES (3, 'one')\"");
    await lab.fault({ kind: 'galera-crash' });
    const seqno = (text: string): number => Number(/^seqno:\s*(-?\d+)$/m.exec(text)?.[1]);
    const [g1, g2, g3] = grastates();
    expect(seqno(g2!)).toBe(-1); // killed: only --wsrep-recover knows ctl2's position
    expect(seqno(g1!)).toBeLessThan(seqno(g3!));

    // Forced onto the least advanced member, the run refuses before it changes anything.
    const before = grastates();
    const forced = await runs.exec('recover-galera-crash', '--yes', '--param', 'bootstrap_member=ctl1');
    expect(forced.code, forced.stdout + forced.stderr).toBe(1);
    expect(forced.stdout).toContain('bootstrap_member ctl1 is not the member with the highest committed seqno (ctl2)');
    expect(forced.stdout).toMatch(/changed=0/);
    expect(grastates()).toEqual(before);
    for (const m of MEMBERS) expect((await lab.ssh(m, 'systemctl is-active mariadb')).stdout.trim()).not.toBe('active');

    // The run chooses ctl2 (the position --wsrep-recover read from InnoDB) and loses nothing.
    const r = await runs.exec('recover-galera-crash', '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/STEP \[bootstrap\][^]*?changed: \[ctl2\]/);
    await expectClusterWhole();
    for (const m of MEMBERS) expect(await rows(m), m).toBe('1\ttwo 2\ttwo 3\tone\n');
  });

  it('would lose the rows only the others held, had the least advanced member been bootstrapped (what the test above guards)', async () => {
    // The same stop order; this time ctl1 is bootstrapped by hand, as an operator might.
    await lab.fault({ kind: 'galera-stop-member', host: 'ctl1' });
    await runs.ssh('ctl2', "mysql -e \"INSERT INTO galera_seqno.t VALUES (4, 'two')\"");
    await lab.fault({ kind: 'galera-stop-member', host: 'ctl3' });
    await lab.fault({ kind: 'galera-crash' });
    await runs.ssh('ctl1', "sed -i 's/^safe_to_bootstrap: 0$/safe_to_bootstrap: 1/' /var/lib/mysql/grastate.dat && galera_new_cluster");
    expect(await rows('ctl1')).toBe('1\ttwo 2\ttwo 3\tone\n'); // row 4 is not in the cluster
    // Put the lab back: the cluster from ctl1 is the cluster now; the others take its state by SST.
    await runs.ssh('ctl1', 'mysql -e "DROP DATABASE galera_seqno"');
    for (const m of ['ctl2', 'ctl3']) await runs.ssh(m, 'systemctl stop mariadb; find /var/lib/mysql -mindepth 1 -delete; systemctl start mariadb');
    await expectClusterWhole();
    await expectDatabases(seeded);
  });
});

describe('check mode on the Galera lab', () => {
  it('plans backup-db, recover-galera-member and recover-galera-data on a healthy cluster (check mode passes)', async () => {
    for (const args of [['backup-db'], ['recover-galera-member', '--param', 'member=ctl2'], ['recover-galera-data']]) {
      const r = await runs.cli('plan', ...args, '-i', lab.inventory, '--state-dir', state);
      expect(r.code, `${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(0);
    }
  });
});
