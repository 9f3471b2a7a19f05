import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFingerprints, healthy, labUp, type LabHandle } from '../../lab/api.js';
import { changedCount, labRuns } from '../support/lab-runs.js';

// Backups and restores at database scale (issue #17) on the lab's real MariaDB: zstd dumps and
// per-table checksums taken in the dumps' own snapshot, restores proven by those checksums
// (a restored row that differs from the backup fails the run, which rolls back), and backups
// of earlier versions (gzip, no checksums) still restore.
let lab: LabHandle;
let work: string;
const CATALOG = '/var/backups/openstack/db/ctl1';
const NOVA = ['nova', 'nova_api', 'nova_cell0'];
const { exec, ssh } = labRuns(() => lab, () => work);
const newest = async (): Promise<string> => (await ssh('stor1', `ls -d ${CATALOG}/* | tail -n 1`)).trim();
const manifestOf = async (dir: string) => JSON.parse(await ssh('stor1', `cat ${dir}/manifest.json`)) as { contents: Record<string, unknown>; files: Array<{ name: string; sha256: string; size: number }> };
const stepBlock = (stdout: string, step: string): string => stdout.split(`STEP [${step}]`)[1]?.split('\nSTEP [')[0] ?? '';
const dropNova = async () => {
  for (const database of NOVA) await lab.fault({ kind: 'drop-database', database });
};

/**
 * Rewrites one file of a backup with `edit` (a shell filter on the uncompressed SQL) and makes
 * the manifest's sha256 and size match, so only a restore can tell. Returns the undo.
 */
async function tamper(dir: string, file: string, edit: string): Promise<() => Promise<void>> {
  const [decompress, compress] = file.endsWith('.zst') ? ['zstd -q -d -c', 'zstd -q -T0 -3'] : ['gunzip -c', 'gzip -n'];
  await ssh('stor1', `cd ${dir} && cp -p ${file} .${file}.orig && cp -p manifest.json .manifest.orig`);
  await ssh('stor1', `cd ${dir} && old=$(sha256sum ${file} | cut -c1-64) && oldsize=$(stat -c %s ${file}) && ` +
    `${decompress} ${file} | ${edit} | ${compress} > .tampered && mv .tampered ${file} && ` +
    `new=$(sha256sum ${file} | cut -c1-64) && newsize=$(stat -c %s ${file}) && ` +
    `sed -i -e "s/$old/$new/" -e "s/\\"size\\": $oldsize,\\(.*\\)$/\\"size\\": $newsize,\\1/" manifest.json`);
  return async () => {
    await ssh('stor1', `cd ${dir} && mv .${file}.orig ${file} && mv .manifest.orig manifest.json`);
  };
}

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-dbscale-')) });
  work = mkdtempSync(join(tmpdir(), 'runbook-dbscale-'));
  const files = await exec('backup-files');
  expect(files.code, files.stdout + files.stderr).toBe(0);
});

afterAll(async () => {
  await lab?.down();
});

describe('zstd backups with per-table checksums', () => {
  it('stores zstd dumps and the checksums of every table, says so in the manifest, and stores nothing the second time', async () => {
    const first = await exec('backup-db');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const dir = await newest();
    const manifest = await manifestOf(dir);
    expect(manifest.contents).toMatchObject({ compression: 'zstd', accounts: 'mysql.users.sql.zst', checksums: '<db>.checksums.tsv' });
    const names = manifest.files.map((f) => f.name).sort();
    expect(names).toEqual(['mysql.users.sql.zst', ...['cinder', 'glance', 'keystone', ...NOVA].flatMap((d) => [`${d}.checksums.tsv`, `${d}.sql.zst`])].sort());
    // Whole zstd frames (their own checksum checked), and the checksums agree with the live rows.
    await ssh('stor1', `cd ${dir} && zstd -q -t *.sql.zst`);
    const rows = Number(await ssh('ctl1', 'mysql -N -e "SELECT COUNT(*) FROM nova.instances"'));
    expect(await ssh('stor1', `grep -P '^table\\tnova\\tinstances\\t' ${dir}/nova.checksums.tsv`)).toMatch(new RegExp(`^table\\tnova\\tinstances\\t[0-9a-f]{32}\\t${rows}\\t\\d+\\n$`));

    // zstd -T0's output does not depend on the threads, the checksums on the moment: the same sha256s.
    const again = await exec('backup-db');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(changedCount(again.stdout), again.stdout).toBe(0);
    expect(await newest()).toBe(dir);
  });

  it('takes the checksums in the dumps\' snapshot while the services write', async () => {
    // A writer committing all along: every dump and the checksums must still describe one moment.
    const writer = lab.ssh('ctl1', 'for i in $(seq 400); do mysql -e "UPDATE nova.services SET report_count = report_count + 1 WHERE id = 1"; done');
    const during = await exec('backup-db');
    await writer;
    expect(during.code, during.stdout + during.stderr).toBe(0);
    await dropNova();
    const recover = await exec('recover-nova');
    expect(recover.code, recover.stdout + recover.stderr).toBe(0);
    expect(stepBlock(recover.stdout, 'databases-equal-backup')).toMatch(/nova: 8 tables equal to the backup's checksums/);
  });

  it('recover-nova restores from it, proven by the checksums, and then changes nothing', async () => {
    await exec('backup-db');
    const before = await lab.fingerprint();
    await dropNova();
    const recover = await exec('recover-nova');
    expect(recover.code, recover.stdout + recover.stderr).toBe(0);
    expect(stepBlock(recover.stdout, 'databases-equal-backup')).toMatch(/^ok: \[ctl1\] nova: \d+ tables equal to the backup's checksums$/m);
    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
    const again = await exec('recover-nova');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(changedCount(again.stdout), again.stdout).toBe(0);
  });

  it('a restored row that differs from the backup fails the proof, and the run rolls back to what it found', async () => {
    // Valid SQL, a whole zstd file, its sha256 made to match: the import succeeds, one row differs.
    const undo = await tamper(await newest(), 'nova.sql.zst', `sed '$a UPDATE nova.instances SET hostname = CONCAT(hostname, "-x") ORDER BY id LIMIT 1;'`);
    try {
      await lab.fault({ kind: 'drop-database', database: 'nova' });
      const broken = await lab.fingerprint();
      const recover = await exec('recover-nova');
      expect(recover.code, recover.stdout + recover.stderr).toBe(1);
      // The table named, with the backup's checksum line and the restored one.
      expect(recover.stdout).toMatch(/backup: {3}table nova instances [0-9a-f]{32} \d+ \d+ \| restored: table nova instances [0-9a-f]{32} \d+ \d+ \| database nova restored from the backup differs from the backup's checksums/);
      expect(recover.stdout).toContain('rolled-back: [ctl1] import-databases');
      expect(diffFingerprints(broken, await lab.fingerprint())).toEqual([]);
    } finally {
      await undo();
    }
    const recover = await exec('recover-nova');
    expect(recover.code, recover.stdout + recover.stderr).toBe(0);
  });

  it('recover imports every database in parallel and proves each one', async () => {
    const before = await lab.fingerprint();
    for (const database of ['cinder', 'glance', 'keystone', ...NOVA]) await lab.fault({ kind: 'drop-database', database });
    const recover = await exec('recover');
    expect(recover.code, recover.stdout + recover.stderr).toBe(0);
    for (const database of ['cinder', 'glance', 'keystone', ...NOVA]) expect(stepBlock(recover.stdout, 'databases-equal-backup')).toContain(`${database}: `);
    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
  });
});

describe('backups of earlier versions', () => {
  it('a gzip backup (compression=gzip) restores and is proven by its checksums', async () => {
    // Other file names than the newest backup's: a new backup, though the data is the same.
    const backup = await exec('backup-db', '--param', 'compression=gzip');
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
    const manifest = await manifestOf(await newest());
    expect(manifest.contents).toMatchObject({ compression: 'gzip', accounts: 'mysql.users.sql.gz' });
    expect(manifest.files.map((f) => f.name)).toContain('nova.sql.gz');
    const before = await lab.fingerprint();
    await dropNova();
    const recover = await exec('recover-nova');
    expect(recover.code, recover.stdout + recover.stderr).toBe(0);
    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
  });

  it('a backup as backup-db 1.2.0 made it (gzip, no checksums) restores, proven by its dumps, and verify-backup passes it', async () => {
    // The newest backup without its checksum files, nor their manifest entries.
    const dir = await newest();
    await ssh('stor1', `cd ${dir} && rm *.checksums.tsv && python3 -c 'import json; m=json.load(open("manifest.json")); ` +
      `m["files"]=[f for f in m["files"] if not f["name"].endswith(".checksums.tsv")]; m["contents"]={"databases": m["contents"]["databases"], "accounts": "mysql.users.sql.gz"}; json.dump(m,open("manifest.json","w"),indent=2)'`);
    const before = await lab.fingerprint();
    await dropNova();
    const recover = await exec('recover-nova');
    expect(recover.code, recover.stdout + recover.stderr).toBe(0);
    expect(stepBlock(recover.stdout, 'databases-equal-backup')).toMatch(/^ok: \[ctl1\] nova: equal to the backup's dump$/m);
    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
    // Live equal to the backup: decided by a dump compared with the backup's, as before.
    const again = await exec('recover-nova');
    expect(changedCount(again.stdout), again.stdout).toBe(0);

    const verify = await exec('verify-backup', '--param', 'retest=true');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(stepBlock(verify.stdout, 'databases-equal-backup')).toMatch(/nova: \d+ tables, restored and equal to the backup$/m);
  });
});

describe('physical backups (mariabackup)', () => {
  const PHYSICAL = '/var/backups/openstack/db-physical/ctl1';
  const ALL = ['cinder', 'glance', 'keystone', ...NOVA];

  it('backup-db-physical stores one zstd xbstream, the checksums read from it prepared, and its restore-test record', async () => {
    const backup = await exec('backup-db-physical');
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
    const dir = (await ssh('stor1', `ls -d ${PHYSICAL}/* | tail -n 1`)).trim();
    const files = (await ssh('stor1', `ls ${dir}`)).split('\n').filter(Boolean).sort();
    expect(files).toEqual(['manifest.json', 'restore-test.json', 'server.xb.zst', ...ALL.map((d) => `${d}.checksums.tsv`)].sort());
    await ssh('stor1', `zstd -q -t ${dir}/server.xb.zst`);
    // The same data as a logical backup's: the same checksums, read from the prepared copy.
    const made = await exec('backup-db');
    expect(made.code, made.stdout + made.stderr).toBe(0);
    const logical = await newest();
    for (const db of ALL) expect(await ssh('stor1', `cat ${dir}/${db}.checksums.tsv`)).toBe(await ssh('stor1', `cat ${logical}/${db}.checksums.tsv`));
    // No scratch left on the controller: neither its files nor its server.
    expect(await ssh('ctl1', 'ls -d /var/tmp/runbook-* 2>/dev/null || true')).toBe('');
    expect(await ssh('ctl1', "pgrep -af '[.]physical/data' || true")).toBe('');
  });

  it('recover-db-physical brings the whole server back after every database was dropped, proven by the checksums', async () => {
    const before = await lab.fingerprint();
    for (const database of ALL) await lab.fault({ kind: 'drop-database', database });
    const recover = await exec('recover-db-physical');
    expect(recover.code, recover.stdout + recover.stderr).toBe(0);
    for (const db of ALL) expect(stepBlock(recover.stdout, 'databases-equal-backup')).toMatch(new RegExp(`${db}: \\d+ tables equal to the backup's checksums`));
    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
    expect(healthy(await lab.status())).toBe(true);
    expect(await ssh('ctl1', 'ls -A /var/lib/mysql | grep runbook-aside || true')).toBe('');
    expect(await ssh('ctl1', 'ls /var/lib/runbook')).not.toContain('physical-');
  });

  it('a restore that does not equal the backup\'s checksums puts the data directory back and starts everything again', async () => {
    const dir = (await ssh('stor1', `ls -d ${PHYSICAL}/* | tail -n 1`)).trim();
    // The recorded checksum of nova.instances changed, sha256 and size in the manifest made to match.
    await ssh('stor1', `cd ${dir} && cp -p nova.checksums.tsv .orig && cp -p manifest.json .manifest.orig && ` +
      `sed -i 's/^\\(table\tnova\tinstances\t[0-9a-f]*\t[0-9]*\t\\)[0-9]*$/\\10/' nova.checksums.tsv && ` +
      `python3 -c 'import hashlib,json,os; m=json.load(open("manifest.json")); f=[f for f in m["files"] if f["name"]=="nova.checksums.tsv"][0]; ` +
      `f["sha256"]=hashlib.sha256(open("nova.checksums.tsv","rb").read()).hexdigest(); f["size"]=os.path.getsize("nova.checksums.tsv"); json.dump(m,open("manifest.json","w"),indent=2)'`);
    try {
      await lab.fault({ kind: 'drop-database', database: 'nova' });
      const broken = await lab.fingerprint();
      const recover = await exec('recover-db-physical');
      expect(recover.code, recover.stdout + recover.stderr).toBe(1);
      expect(recover.stdout).toMatch(/restored: table nova instances [0-9a-f]{32} \d+ \d+ \| database nova restored from the backup differs from the backup's checksums/);
      expect(recover.stdout).toContain('rolled-back: [ctl1] swap-data');
      // The server runs on its own data again, nova still dropped: as the run found it.
      expect(diffFingerprints(broken, await lab.fingerprint())).toEqual([]);
      await ssh('ctl1', "mysql -e 'SELECT 1'");
      expect(await ssh('ctl1', 'ls -A /var/lib/mysql | grep runbook-aside || true')).toBe('');
    } finally {
      await ssh('stor1', `cd ${dir} && mv .orig nova.checksums.tsv && mv .manifest.orig manifest.json`);
    }
  });
});
