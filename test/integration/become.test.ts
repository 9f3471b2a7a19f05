import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUp, type LabHandle } from '../../lab/api.js';
import { RUNBOOK_DB_USER } from '../../lab/seed/index.js';
import { SUDO_USER, sudoGrantPath } from '../../lab/users.js';
import type { DrillReport } from '../../src/drill/report-model.js';
import { labRuns } from '../support/lab-runs.js';

// The shipped runbooks and drills as an operator runs them on most deployed clouds: logged in
// as a non-root account (the lab's `stack`, sudo without a password) with `ansible_become: true`
// in the inventory. Every command then runs as root through `sudo -n`, and a timeout still
// kills the root-owned processes it started. Without become, or with a sudo that wants a
// password, the run stops with the host's own words and nothing is left changed.
let lab: LabHandle;
let work: string;
const CATALOG = '/var/backups/openstack';
const { cli, ssh } = labRuns(() => lab, () => work);
/** `runbook exec` as the lab's operator account, with become from the inventory. */
const execSudo = (runbook: string, inventory = lab.sudoInventory) => cli('exec', runbook, '-i', inventory, '--state-dir', work);
const backupsOf = async (kind: string, host: string) => (await ssh('stor1', `ls ${CATALOG}/${kind}/${host} 2>/dev/null || true`)).trim();

/** A copy of the sudo inventory beside it (its key paths are relative), edited by `edit`. */
function inventoryVariant(name: string, edit: (text: string) => string): string {
  const file = join(dirname(lab.sudoInventory), `${name}.yaml`);
  writeFileSync(file, edit(readFileSync(lab.sudoInventory, 'utf8')));
  return file;
}

/** Replaces ctl1's sudo grant for the length of `body` (the host's own sudoers.d, not the machine's). */
async function withGrant<T>(grant: string, body: () => Promise<T>): Promise<T> {
  const file = sudoGrantPath(lab.host('ctl1'));
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, grant);
  try {
    return await body();
  } finally {
    writeFileSync(file, original);
  }
}

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-become-')) });
  work = mkdtempSync(join(tmpdir(), 'runbook-become-'));
});

afterAll(async () => {
  await lab?.down();
});

describe('a non-root login with ansible_become', () => {
  it('logs in as the operator account, which becomes root only through sudo', async () => {
    expect(readFileSync(lab.sudoInventory, 'utf8')).toMatch(new RegExp(`ansible_user: ${SUDO_USER}\\n\\s+ansible_become: true\\n`));
    expect((await ssh('ctl1', `su -s /bin/sh ${SUDO_USER} -c 'id -un; sudo -n id -u'`)).split('\n').slice(0, 2)).toEqual([SUDO_USER, '0']);
    // The account lives in the lab hosts' own /etc, never in the machine's.
    expect(readFileSync('/etc/passwd', 'utf8')).not.toMatch(new RegExp(`^${SUDO_USER}:.*runbook lab operator`, 'm'));
  });

  it('backs up the database and every host\'s files, and the restore test of those backups passes', async () => {
    for (const runbook of ['backup-db', 'backup-files', 'verify-backup']) {
      const result = await execSudo(runbook);
      expect(result.code, `${runbook}\n${result.stdout}${result.stderr}`).toBe(0);
    }
    // Written as root through sudo: the operator account could not have written the catalog.
    const db = (await ssh('stor1', `ls -d ${CATALOG}/db/ctl1/* | tail -n 1`)).trim();
    expect((await ssh('stor1', `stat -c '%U %n' ${db}/* | sort -u -k1,1`)).trim().split('\n').map((l) => l.split(' ')[0])).toEqual(['root']);
    expect(JSON.parse(await ssh('stor1', `cat ${db}/restore-test.json`))).toMatchObject({ backup: db.split('/').at(-1) });
    for (const host of ['ctl1', 'cmp1', 'stor1']) expect(await backupsOf('files', host)).not.toBe('');
    const journals = readdirSync(join(work, 'runs')).map((f) => readFileSync(join(work, 'runs', f), 'utf8'));
    for (const journal of journals) expect(journal).not.toContain(RUNBOOK_DB_USER.password);
  }, 120_000);

  it('runs a drill end to end: the dropped nova databases come back equal to the original', async () => {
    const result = await cli('drill', 'nova-db-loss', '-i', lab.sudoInventory, '--state-dir', work);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const path = /^report: (.+)$/m.exec(result.stdout)?.[1];
    expect(path, result.stdout).toBeDefined();
    const report = JSON.parse(readFileSync(join(dirname(path!), 'report.json'), 'utf8')) as DrillReport;
    expect(report.outcome).toBe('passed');
    expect(report.verification.faultDiff).toContain('ctl1 db nova: dropped');
    expect(report.verification.fingerprintDiff).toEqual([]);
  }, 120_000);

  it('a timeout kills the root-owned processes of the command, grandchildren included', async () => {
    const dir = join(work, 'runbooks');
    mkdirSync(dir, { recursive: true });
    const runbook = join(dir, 'hang.yaml');
    writeFileSync(runbook, [
      'apiVersion: runbook/v1',
      'name: hang',
      'version: 1.0.0',
      'description: A command as root that outlives its timeout, with a child in the background.',
      'hosts: ctl1',
      'steps:',
      '  - id: hang',
      '    run: "sleep 3031 & sleep 3032; true"',
      '    check: "false"',
      '    irreversible: it only sleeps',
      '    timeout: 1s',
      '',
    ].join('\n'));
    const result = await execSudo(runbook);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('timed out (timeout 1s); the remote command was killed');
    expect(await ssh('ctl1', "pgrep -u root -af 'sleep 303[12]' || true")).toBe('');
  }, 60_000);

  it('without become, a step that needs root fails with the host\'s words and is rolled back', async () => {
    const before = await backupsOf('files', 'ctl1');
    const inventory = inventoryVariant('lab-sudo-no-become', (text) => text.replace('ansible_become: true', 'ansible_become: false'));
    const result = await execSudo('backup-files', inventory);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/failed on ctl1: .*Permission denied/);
    expect(result.stdout).toContain('every change was rolled back');
    expect(await backupsOf('files', 'ctl1')).toBe(before);
    expect(await ssh('ctl1', 'ls -d /var/tmp/runbook-2* 2>/dev/null || true')).toBe('');
  }, 60_000);

  it('a sudo that wants a password stops the run before anything changes, saying so', async () => {
    const before = await backupsOf('files', 'ctl1');
    const result = await withGrant(`${SUDO_USER} ALL=(ALL:ALL) ALL\n`, () => execSudo('backup-files'));
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stdout + result.stderr).toContain('ctl1: sudo: a password is required');
    expect(result.stdout).toContain('nothing was changed');
    expect(await backupsOf('files', 'ctl1')).toBe(before);
  }, 60_000);
});
