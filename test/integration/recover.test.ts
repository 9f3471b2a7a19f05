import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFingerprints, healthy, labUp, type LabHandle } from '../../lab/api.js';
import { RUNBOOK_DB_USER } from '../../lab/seed/index.js';
import { changedCount, labRuns } from '../support/lab-runs.js';

// The shipped backup and recovery runbooks against the lab's real MariaDB and sshd hosts: a
// restore brings back exactly what was lost, a failed restore leaves the cloud as it found it,
// a second run changes nothing, and the password never reaches a journal or the output.
let lab: LabHandle;
let work: string;
const repo = fileURLToPath(new URL('../../', import.meta.url));
const { cli, exec, ssh } = labRuns(() => lab, () => work);

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-recover-')) });
  work = mkdtempSync(join(tmpdir(), 'runbook-recover-'));
});

afterAll(async () => {
  await lab?.down();
});

describe('backup-db, backup-files and recover-nova on the lab', () => {
  let before: Awaited<ReturnType<LabHandle['fingerprint']>>;

  it('takes verified backups into the catalog on stor1, and a second run stores nothing', async () => {
    before = await lab.fingerprint();
    for (const runbook of ['backup-db', 'backup-files']) {
      const first = await exec(runbook);
      expect(first.code, first.stdout + first.stderr).toBe(0);
      const again = await exec(runbook);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(changedCount(again.stdout), again.stdout).toBe(0);
    }
    const listed = await cli('backups', '-i', lab.inventory, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const manifests = (await ssh('stor1', 'cat /var/backups/openstack/db/ctl1/*/manifest.json')).trim();
    expect(manifests).toContain('"verified": true');
    expect(manifests).toContain('"name": "nova_api.sql.zst"');
  });

  it('restores dropped nova databases and a deleted /etc/nova exactly, services healthy', async () => {
    for (const db of ['nova', 'nova_api', 'nova_cell0']) await lab.fault({ kind: 'drop-database', database: db });
    await lab.fault({ kind: 'delete-path', host: 'ctl1', path: '/etc/nova' });
    expect(diffFingerprints(before, await lab.fingerprint())).not.toEqual([]);

    const recover = await exec('recover-nova', '--param', 'backup=latest');
    expect(recover.code, recover.stdout + recover.stderr).toBe(0);
    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
    expect(healthy(await lab.status())).toBe(true);
  });

  it('changes nothing when run again right after', async () => {
    const again = await exec('recover-nova');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(changedCount(again.stdout), again.stdout).toBe(0);
  });

  it('rolls a restore whose import fails half-way back to the state it found', async () => {
    // A dump that is valid zstd with a checksum and size made to match, but whose SQL breaks
    // after some statements ran: the failure only shows during the import.
    const dir = (await ssh('stor1', 'ls -d /var/backups/openstack/db/ctl1/* | tail -n 1')).trim();
    await ssh('stor1', `cd ${dir} && old=$(sha256sum nova_api.sql.zst | cut -c1-64) && oldsize=$(stat -c %s nova_api.sql.zst) && ` +
      `{ zstd -q -d -c nova_api.sql.zst | head -n 40; echo 'THIS IS NOT SQL;'; } | zstd -q > broken.zst && mv broken.zst nova_api.sql.zst && ` +
      `new=$(sha256sum nova_api.sql.zst | cut -c1-64) && newsize=$(stat -c %s nova_api.sql.zst) && ` +
      `sed -i -e "s/$old/$new/" -e "s/\\"size\\": $oldsize,\\(.*\\)$/\\"size\\": $newsize,\\1/" manifest.json`);
    await lab.fault({ kind: 'drop-database', database: 'nova' });
    const broken = await lab.fingerprint();

    const recover = await exec('recover-nova');
    expect(recover.code, recover.stdout + recover.stderr).toBe(1);
    expect(recover.stdout).toMatch(/failed: \[ctl1\] \(item=nova_api\)/);
    expect(recover.stdout).toContain('rolled-back: [ctl1] import-databases');
    expect(diffFingerprints(broken, await lab.fingerprint())).toEqual([]);
  });

  it('passes validate and its own check mode for every shipped runbook', async () => {
    const validated = await cli('validate');
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    // recover-db-physical plans the restore of a physical backup: there must be one.
    const physical = await exec('backup-db-physical');
    expect(physical.code, physical.stdout + physical.stderr).toBe(0);
    for (const file of readdirSync(join(repo, 'runbooks'))) {
      const plan = await cli('plan', file.replace(/\.yaml$/, ''), '-i', lab.inventory, '--state-dir', work);
      // The Galera runbooks act on the group galera, which one controller has not: refused
      // before anything runs (test/integration/galera.test.ts plans them on a Galera lab).
      if (/^hosts: galera$/m.test(readFileSync(join(repo, 'runbooks', file), 'utf8'))) {
        expect(plan.code, `${file}\n${plan.stdout}${plan.stderr}`).toBe(2);
        expect(plan.stdout + plan.stderr).toContain("unknown host or group 'galera'");
        continue;
      }
      expect(plan.code, `${file}\n${plan.stdout}${plan.stderr}`).toBe(0);
    }
  });

  it('never writes the database password into a journal', () => {
    const journals = readdirSync(join(work, 'runs')).map((f) => readFileSync(join(work, 'runs', f), 'utf8'));
    expect(journals.length).toBeGreaterThan(5);
    for (const journal of journals) expect(journal).not.toContain(RUNBOOK_DB_USER.password);
  });
});
