import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUp, type LabHandle } from '../../lab/api.js';
import { type MadeUpBackup, daysAgo, idOf, pathOf, writeCatalogScript } from '../support/catalog.js';
import { runCli } from '../support/cli.js';

// The shipped rotate runbook against a made-up catalog on the lab's storage host: what check
// promises, exec deletes, a second exec leaves alone, and a failed run puts back.
let lab: LabHandle;
let work: string;
const ROOT = '/var/backups/openstack';
const POLICY = ['keep_last=2', 'daily=3', 'weekly=0', 'monthly=0', 'max_age=60d'].flatMap((p) => ['--param', p]);

const db = (days: number, hour: number, more: Partial<MadeUpBackup> = {}): MadeUpBackup => ({ kind: 'db', host: 'ctl1', created: daysAgo(days, hour), ...more });
const files = (days: number, more: Partial<MadeUpBackup> = {}): MadeUpBackup => ({ kind: 'files', host: 'ctl1', created: daysAgo(days), ...more });

const d100 = db(100, 2);
const d6 = db(6, 2, { dependsOn: d100.created });
const KEPT: MadeUpBackup[] = [
  db(1, 20, { verified: false }), // newest 2
  db(1, 2), // newest 2; daily: the verified one of its day
  db(2, 2, { dependsOn: d6.created }), // daily
  db(3, 2), // daily
  d6, // db(2) depends on it
  d100, // d6 depends on it, though older than max_age
  files(1, { verified: false }),
  files(2, { verified: false }),
  files(3, { verified: false }),
  files(100), // the newest verified files backup, older than max_age
];
const DELETED: MadeUpBackup[] = [db(5, 2), db(120, 2), files(4, { verified: false }), files(200, { verified: false })];
const UNFINISHED = 'db/ctl1/20200101-000000-part';
const UNREADABLE = 'files/ctl1/20200102-000000-bad';

const cli = (...args: string[]) => runCli(args, { cwd: work });
const folders = async (): Promise<string[]> => (await lab.ssh('stor1', `cd ${ROOT} && ls -d */*/*`)).stdout.trim().split('\n').sort();
const all = (backups: MadeUpBackup[]): string[] => [...backups.map(pathOf), UNFINISHED, UNREADABLE].sort();

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-rotate-')) });
  work = mkdtempSync(join(tmpdir(), 'runbook-rotate-'));
  mkdirSync(join(work, 'runbooks'));
  copyFileSync(fileURLToPath(new URL('../../runbooks/rotate.yaml', import.meta.url)), join(work, 'runbooks', 'rotate.yaml'));
  copyFileSync(fileURLToPath(new URL('../fixtures/rotate/rotate-then-fail.yaml', import.meta.url)), join(work, 'runbooks', 'rotate-then-fail.yaml'));
  const written = await lab.ssh('stor1', `${writeCatalogScript(ROOT, [...KEPT, ...DELETED], [UNFINISHED])}\nmkdir -p ${ROOT}/${UNREADABLE} && echo '{ broken' > ${ROOT}/${UNREADABLE}/manifest.json`);
  expect(written.code, written.stderr).toBe(0);
});

afterAll(async () => {
  await lab?.down();
});

describe('rotate on the lab', () => {
  it('--check lists what it would delete and why, and deletes nothing', async () => {
    const plan = await cli('exec', 'rotate', '-i', lab.inventory, '--check', ...POLICY);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`would-change: [stor1] would delete 4 of 14 backups in ${ROOT}:`);
    expect(plan.stdout).toMatch(new RegExp(`${pathOf(DELETED[0]!)}\\s+deleted: not kept by daily 3/keep_last 2`));
    expect(plan.stdout).toMatch(new RegExp(`${pathOf(DELETED[1]!)}\\s+deleted: older than max_age 60d and not kept by`));
    expect(plan.stdout).toMatch(new RegExp(`${pathOf(d100)}\\s+kept: backup ${idOf(d6)} depends on it`));
    expect(plan.stdout).toMatch(new RegExp(`${pathOf(files(100))}\\s+kept: newest verified files backup of ctl1`));
    expect(plan.stdout).toMatch(new RegExp(`\\n {4}${UNREADABLE}\\s+left alone: unreadable manifest \\(not JSON`));
    expect(await folders()).toEqual(all([...KEPT, ...DELETED]));
  });

  it('deletes exactly the backups the policy does not keep, and a second run changes nothing', async () => {
    const run = await cli('exec', 'rotate', '-i', lab.inventory, ...POLICY);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(await folders()).toEqual(all(KEPT));
    expect((await lab.ssh('stor1', `test -e ${ROOT}/.trash`)).code).not.toBe(0);

    const again = await cli('exec', 'rotate', '-i', lab.inventory, ...POLICY);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/stor1 : ok=2 {2}changed=0 {2}failed=0/);
    expect(await folders()).toEqual(all(KEPT));
  });

  it('a run whose later step fails puts every backup back', async () => {
    const failed = await cli('exec', 'rotate-then-fail', '-i', lab.inventory);
    expect(failed.code, failed.stdout + failed.stderr).toBe(1);
    expect(failed.stdout).toContain('rolled-back: [stor1] prune');
    expect(await folders()).toEqual(all(KEPT));
    expect((await lab.ssh('stor1', `test -e ${ROOT}/.trash`)).code).not.toBe(0);
  });

  it('runbook backups lists the catalog and its unreadable manifests', async () => {
    const listed = await cli('backups', '-i', lab.inventory);
    expect(listed.code, listed.stdout + listed.stderr).toBe(0);
    for (const b of KEPT) expect(listed.stdout).toContain(idOf(b));
    expect(listed.stdout).toMatch(new RegExp(`${idOf(d100)}\\s+db\\s+ctl1\\s+\\S+ \\S+\\s+\\d+ B\\s+1\\s+yes\\s+no\\s+never\\s+backup-db@1.0.0`));
    expect(listed.stdout).toContain(`${ROOT}/${UNREADABLE}: not JSON`);
    expect(listed.stdout).not.toContain('20200101-000000-part');

    const json = await cli('backups', '-i', lab.inventory, '--json', '--kind', 'files');
    const parsed = JSON.parse(json.stdout) as { storage: Array<{ backups: Array<{ id: string }> }> };
    expect(parsed.storage[0]?.backups.map((b) => b.id).sort()).toEqual(KEPT.filter((b) => b.kind === 'files').map(idOf).sort());
  });

  it('runbook backups exits 4 when the storage host is unreachable', async () => {
    await lab.fault({ kind: 'stop-sshd', host: 'stor1' });
    try {
      const listed = await cli('backups', '-i', lab.inventory);
      expect(listed.code, listed.stdout + listed.stderr).toBe(4);
      expect(listed.stderr).toContain('unreachable: [stor1]');
    } finally {
      await lab.heal({ kind: 'stop-sshd', host: 'stor1' });
    }
  });
});
