import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFingerprints, healthy, labUp, type LabHandle } from '../../lab/api.js';
import { MYSQL_PORT } from '../../lab/config.js';
import { accountPath } from '../../lab/namespace.js';
import { changedCount, labRuns } from '../support/lab-runs.js';

// The runbooks as a real cloud needs them, on the fast lab's real MariaDB and sshd: backup-db
// finds every database and keeps the accounts; a restore ends a session that holds a
// transaction open on the database instead of waiting on its lock; a whole datadir re-initialised
// comes back with its accounts; files come back owned by the name, whatever uid the rebuilt
// controller gave it.
let lab: LabHandle;
let work: string;
const { exec, ssh } = labRuns(() => lab, () => work);

/** The fast lab's controller units (the real cloud's names are the runbooks' defaults). */
const FAST_LAB_SERVICES = 'controller_services=keystone,glance-api,nova-api,nova-conductor,nova-scheduler,cinder-api,cinder-scheduler';
const MYSQL = 'mysql -N -B';
const STORE = '/var/backups/openstack/db/ctl1';

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-real-recover-')) });
  work = mkdtempSync(join(tmpdir(), 'runbook-real-recover-'));
  // A database and an account no runbook names: backup-db must find them.
  await ssh('ctl1', `${MYSQL} -e "CREATE DATABASE heat; CREATE TABLE heat.stack (id INT PRIMARY KEY, name VARCHAR(40)); INSERT INTO heat.stack VALUES (1, 'web'), (2, 'db');` +
    ` CREATE USER heat@'%' IDENTIFIED BY 'heat-lab-pass'; GRANT ALL PRIVILEGES ON heat.* TO heat@'%'"`);
});

afterAll(async () => {
  await lab?.down();
});

/**
 * Starts a client on ctl1 that opens a transaction, reads a table and stays idle in it (as
 * keystone's pooled connection does), holding the table's metadata lock; returns its session id.
 * `name` tells holders apart; the client runs in its own process group, ended by `release`.
 */
async function holdLock(name: string, client: string, sql: string): Promise<string> {
  const script = `echo $$ > /var/tmp/${name}.pid\n{ echo 'BEGIN; SELECT CONNECTION_ID(); ${sql}'; sleep 3600; } | ${client} -N -B --unbuffered > /var/tmp/${name}.out 2>&1\n`;
  expect((await lab.ssh('ctl1', `cat > /var/tmp/${name}.sh`, script)).code).toBe(0);
  await ssh('ctl1', `rm -f /var/tmp/${name}.out; setsid sh /var/tmp/${name}.sh < /dev/null > /dev/null 2>&1 &`);
  await ssh('ctl1', `for i in $(seq 100); do [ "$(wc -l < /var/tmp/${name}.out)" -ge 2 ] && exit 0; sleep 0.1; done; cat /var/tmp/${name}.out >&2; exit 1`);
  const id = (await ssh('ctl1', `head -n 1 /var/tmp/${name}.out`)).trim();
  expect(id).toMatch(/^\d+$/);
  return id;
}

/** Ends a holder's process group (setsid made it the leader), by its id. */
async function release(name: string): Promise<void> {
  await ssh('ctl1', `kill -- -"$(cat /var/tmp/${name}.pid)"`);
}

const sessionAlive = async (id: string): Promise<boolean> =>
  (await ssh('ctl1', `${MYSQL} -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ${id}"`)).trim() === '1';

/** The journal of the newest run (run ids sort by time). */
function newestJournal(): string {
  const runs = readdirSync(join(work, 'runs')).sort();
  return readFileSync(join(work, 'runs', runs.at(-1) ?? ''), 'utf8');
}

/** The files of the newest db backup of ctl1, and its manifest. */
async function newestDbBackup(): Promise<{ files: string[]; manifest: { contents: Record<string, unknown> } }> {
  const dir = (await ssh('stor1', `ls -d ${STORE}/* | tail -n 1`)).trim();
  const files = (await ssh('stor1', `ls ${dir}`)).split('\n').filter(Boolean);
  return { files, manifest: JSON.parse(await ssh('stor1', `cat ${dir}/manifest.json`)) as { contents: Record<string, unknown> } };
}

describe('runbooks for a real cloud, on the lab', () => {
  let before: Awaited<ReturnType<LabHandle['fingerprint']>>;

  it('backup-db --param databases=nova dumps nova alone, with the accounts', async () => {
    const narrowed = await exec('backup-db', '--param', 'databases=nova');
    expect(narrowed.code, narrowed.stdout + narrowed.stderr).toBe(0);
    const { files, manifest } = await newestDbBackup();
    expect(files.sort()).toEqual(['manifest.json', 'mysql.users.sql.zst', 'nova.checksums.tsv', 'nova.sql.zst']);
    expect(manifest.contents).toEqual({ databases: ['nova'], accounts: 'mysql.users.sql.zst', compression: 'zstd', checksums: '<db>.checksums.tsv' });
  });

  it('backup-db without params finds every database (heat too) but the server\'s own, and stores the accounts', async () => {
    before = await lab.fingerprint();
    for (const runbook of ['backup-db', 'backup-files']) {
      const run = await exec(runbook);
      expect(run.code, run.stdout + run.stderr).toBe(0);
    }
    const { files, manifest } = await newestDbBackup();
    const databases = ['cinder', 'glance', 'heat', 'keystone', 'nova', 'nova_api', 'nova_cell0'];
    expect(files.sort()).toEqual(['manifest.json', 'mysql.users.sql.zst', ...databases.flatMap((d) => [`${d}.checksums.tsv`, `${d}.sql.zst`])].sort());
    expect(manifest.contents).toEqual({ databases, accounts: 'mysql.users.sql.zst', compression: 'zstd', checksums: '<db>.checksums.tsv' });
    const accounts = await ssh('stor1', `zstd -q -d -c "$(ls -d ${STORE}/* | tail -n 1)/mysql.users.sql.zst"`);
    expect(accounts).toContain('CREATE USER IF NOT EXISTS `heat`@`%`');
    expect(accounts).toContain('GRANT ALL PRIVILEGES ON `nova`.* TO `nova`@`%`');
  });

  it('fails clearly and rolls back when a session it does not end holds a lock past lock_wait_timeout', async () => {
    await ssh('ctl1', `${MYSQL} -e "DELETE FROM keystone.project LIMIT 3"`);
    const broken = await lab.fingerprint();
    // An administrator's session (root, no current database, no grant on keystone alone) is
    // not one the runbook ends: the DROP waits for it, but only lock_wait_timeout long.
    const admin = await holdLock('admin', 'mysql', 'SELECT COUNT(*) FROM keystone.project;');
    try {
      const recover = await exec('recover', '--param', 'databases=keystone', '--param', 'config_dirs=/etc/keystone', '--param', 'controller_services=keystone', '--param', 'lock_wait_timeout=2');
      expect(recover.code, recover.stdout + recover.stderr).toBe(1);
      expect(recover.stdout).toContain('database keystone: a lock another session holds was not released within lock_wait_timeout (2 s)');
      expect(recover.stdout).toContain('rolled-back: [ctl1] stop-controller-services');
      expect(await sessionAlive(admin)).toBe(true);
    } finally {
      await release('admin');
    }
    expect(diffFingerprints(broken, await lab.fingerprint())).toEqual([]);
  });

  it('ends a session that holds a transaction open on the database, then restores it', async () => {
    // keystone's pooled connection idle inside a transaction that read a table: it holds the
    // table's metadata lock, which DROP DATABASE would wait on for a year.
    const keystone = await holdLock('keystone', `mysql -h ctl1 -P ${MYSQL_PORT} -u keystone -pkeystone-lab-pass keystone`, 'SELECT COUNT(*) FROM project;');
    expect(await sessionAlive(keystone)).toBe(true);

    try {
      const recover = await exec('recover', '--param', 'databases=keystone', '--param', 'config_dirs=/etc/keystone', '--param', 'controller_services=keystone');
      expect(recover.code, recover.stdout + recover.stderr).toBe(0);
      expect(await sessionAlive(keystone)).toBe(false);
      expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
    } finally {
      await release('keystone');
    }
  });

  it('brings back a whole datadir re-initialised: every database, the accounts and grants', async () => {
    const cnf = join(lab.host('ctl1').dir, 'etc', 'mariadb.cnf');
    // As after a lost disk: the packages reinstalled, only root@localhost (unix socket) exists.
    await ssh('ctl1', `systemctl stop mariadb && find /var/lib/mysql -mindepth 1 -delete && ` +
      `mariadb-install-db --defaults-file='${cnf}' --auth-root-authentication-method=socket --skip-test-db > /var/tmp/install.log 2>&1 && systemctl start mariadb`);
    expect((await ssh('ctl1', `${MYSQL} -e "SELECT COUNT(*) FROM mysql.user WHERE User IN ('nova', 'runbook', 'heat')"`)).trim()).toBe('0');
    expect((await lab.ssh('ctl1', `mysql -h ctl1 -P ${MYSQL_PORT} -u nova -pnova-lab-pass nova -e 'select 1'`)).code).not.toBe(0);

    const recover = await exec('recover', '--param', FAST_LAB_SERVICES);
    expect(recover.code, recover.stdout + recover.stderr).toBe(0);
    // The runbook's own account was gone until restore-accounts made it again.
    expect(newestJournal()).toContain("the runbook's account cannot log in: logged in as root by the unix socket");
    await ssh('ctl1', `mysql -h ctl1 -P ${MYSQL_PORT} -u nova -pnova-lab-pass nova -e 'select 1'`);
    await ssh('ctl1', `mysql -h ctl1 -P ${MYSQL_PORT} -u heat -pheat-lab-pass heat -e 'select count(*) from stack'`);
    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
    expect(healthy(await lab.status())).toBe(true);

    const again = await exec('recover', '--param', FAST_LAB_SERVICES);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(changedCount(again.stdout), again.stdout).toBe(0);
  });

  it('restores files to their owners\' names when the rebuilt controller gave keystone another uid', async () => {
    const ctl = lab.host('ctl1');
    const newUid = 64070;
    for (const file of ['/etc/passwd', '/etc/group']) {
      const path = accountPath(ctl, file);
      writeFileSync(path, readFileSync(path, 'utf8').replace(/^keystone:x:64062:(64062:)?/m, (_, g: string | undefined) => (g ? `keystone:x:${newUid}:${newUid}:` : `keystone:x:${newUid}:`)));
    }
    expect((await ssh('ctl1', 'id -u keystone')).trim()).toBe(String(newUid));
    await lab.fault({ kind: 'delete-path', host: 'ctl1', path: '/etc/keystone' });

    const recover = await exec('recover', '--param', 'databases=keystone', '--param', 'config_dirs=/etc/keystone', '--param', 'controller_services=keystone');
    expect(recover.code, recover.stdout + recover.stderr).toBe(0);
    const owners = (await ssh('ctl1', 'find /etc/keystone/fernet-keys /etc/keystone/fernet-keys/* -printf "%u:%U %g:%G\\n" | sort -u')).trim().split('\n');
    expect(owners).toEqual([`keystone:${newUid} keystone:${newUid}`]);
  });

  it('restores a backup taken before backup-db kept the accounts, leaving the accounts as they are', async () => {
    // The newest db backup as backup-db 1.1.0 made it: no accounts file, nor its manifest entry.
    const dir = (await ssh('stor1', `ls -d ${STORE}/* | tail -n 1`)).trim();
    await ssh('stor1', `cd ${dir} && rm mysql.users.sql.* && python3 -c 'import json; m=json.load(open("manifest.json")); ` +
      `m["files"]=[f for f in m["files"] if not f["name"].startswith("mysql.users.sql.")]; m["contents"]={"databases": m["contents"]["databases"]}; json.dump(m,open("manifest.json","w"),indent=2)'`);
    await lab.fault({ kind: 'drop-database', database: 'glance' });
    const recover = await exec('recover', '--param', 'databases=glance', '--param', 'config_dirs=/etc/glance', '--param', 'controller_services=glance-api');
    expect(recover.code, recover.stdout + recover.stderr).toBe(0);
    expect(newestJournal()).toContain('the backup has no accounts (taken before backup-db 1.2.0): the accounts are left as they are');
    await ssh('ctl1', `mysql -h ctl1 -P ${MYSQL_PORT} -u glance -pglance-lab-pass glance -e 'select count(*) from images'`);
  });
});
