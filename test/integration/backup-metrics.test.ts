import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUp, type LabHandle } from '../../lab/api.js';
import { RUNBOOK_DB_USER } from '../../lab/seed/index.js';
import { labRuns } from '../support/lab-runs.js';

// `runbook backups --metrics` and `--check` on the lab, before and after real backups (taken by
// the command lines `runbook schedule` writes): the text
// passes Prometheus' own promtool, the check passes on fresh backups and fails (exit 1, one line
// each) on missing, stale and untested ones.
let lab: LabHandle;
let work: string;
const CATALOG = '/var/backups/openstack';
const { cli, exec, ssh } = labRuns(() => lab, () => work);

/** `promtool check metrics` (reads the text on stdin): exit 0 and nothing said, or its complaints. */
function promtool(text: string): { code: number | null; said: string } {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { code: run.status, said: `${run.stdout}${run.stderr}`.trim() };
}

/** Runs a command the way cron does: /bin/sh -c, cron's environment, no terminal. */
function asCron(command: string): Promise<{ code: number | null }> {
  const env = { HOME: '/root', LOGNAME: 'root', PATH: '/usr/bin:/bin', SHELL: '/bin/sh' };
  const child = spawn('/bin/sh', ['-c', command], { env, stdio: 'ignore' });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code })));
}

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-metrics-')), computes: 1 });
  work = mkdtempSync(join(tmpdir(), 'runbook-metrics-'));
});

afterAll(async () => {
  await lab?.down();
});

describe('runbook backups --metrics and --check on the lab', () => {
  it('before any backup: the check names every missing backup (exit 1); the metrics say only that the catalog was read', async () => {
    const check = await cli('backups', '-i', lab.inventory, '--check', '--max-age', '26h');
    expect(check.code, check.stderr).toBe(1);
    expect(check.stdout.trim().split('\n')).toEqual([
      'missing: db backup of ctl1: no verified backup',
      'missing: files backup of cmp1: no verified backup',
      'missing: files backup of ctl1: no verified backup',
      'missing: files backup of stor1: no verified backup',
    ]);
    const metrics = await cli('backups', '-i', lab.inventory, '--metrics');
    expect(metrics.code, metrics.stderr).toBe(0);
    expect(promtool(metrics.stdout)).toEqual({ code: 0, said: '' });
    expect(metrics.stdout).toContain('runbook_backup_catalog_up{storage="stor1"} 1');
    expect(metrics.stdout).not.toContain('_age_seconds');
  });

  it("the backups taken by `runbook schedule`'s crontab lines, run as cron runs them", async () => {
    const secrets = join(work, 'secrets.env');
    writeFileSync(secrets, `RUNBOOK_DB_PASSWORD='${RUNBOOK_DB_USER.password}'\n`, { mode: 0o600 });
    mkdirSync(join(work, 'logs'));
    for (const runbook of ['backup-db', 'backup-files']) {
      const out = mkdtempSync(join(tmpdir(), 'cron-'));
      const scheduled = await cli('schedule', runbook, '-i', lab.inventory, '--format', 'cron', '--state-dir', work, '--secrets-file', secrets, '--output', out);
      expect(scheduled.code, scheduled.stderr).toBe(0);
      const line = readFileSync(join(out, `runbook-${runbook}-lab.cron`), 'utf8').split('\n')[1] ?? '';
      // What cron does with the line: the five time fields off, `\%` back to `%`, the rest to
      // /bin/sh in cron's own small environment (no terminal, no RUNBOOK_DB_PASSWORD).
      const command = line.split(' ').slice(5).join(' ').replace(/\\%/g, '%');
      const run = await asCron(command);
      expect(run.code, readFileSync(join(work, 'logs', `runbook-${runbook}-lab.log`), 'utf8')).toBe(0);
    }
    expect(readFileSync(join(work, 'logs', 'runbook-backup-db-lab.log'), 'utf8')).toMatch(/ctl1 .*changed=1/);
  });

  it('after backup-db and backup-files: metrics pass promtool, written atomically; the check passes', async () => {
    const metrics = await cli('backups', '-i', lab.inventory, '--metrics');
    expect(metrics.code, metrics.stderr).toBe(0);
    expect(promtool(metrics.stdout)).toEqual({ code: 0, said: '' });
    for (const pair of ['kind="db",host="ctl1"', 'kind="files",host="ctl1"', 'kind="files",host="cmp1"', 'kind="files",host="stor1"']) {
      expect(metrics.stdout).toMatch(new RegExp(`^runbook_backup_last_verified_age_seconds\\{storage="stor1",${pair}\\} \\d`, 'm'));
      expect(metrics.stdout).toMatch(new RegExp(`^runbook_backup_last_verified_size_bytes\\{storage="stor1",${pair}\\} [1-9]\\d*$`, 'm'));
      expect(metrics.stdout).toMatch(new RegExp(`^runbook_backups\\{storage="stor1",${pair}\\} 1$`, 'm'));
    }
    // Nothing was restore-tested yet, and there is no off-site copy: neither is made up.
    expect(metrics.stdout).not.toContain('restore_tested');
    expect(metrics.stdout).not.toContain('offsite');

    const dir = mkdtempSync(join(tmpdir(), 'textfile-'));
    const written = await cli('backups', '-i', lab.inventory, '--metrics', '--output', join(dir, 'runbook.prom'));
    expect(written.code, written.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual(['runbook.prom']);
    expect(promtool(readFileSync(join(dir, 'runbook.prom'), 'utf8'))).toEqual({ code: 0, said: '' });

    const check = await cli('backups', '-i', lab.inventory, '--check', '--max-age', '26h');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout.trim()).toBe('ok: fresh backups of db/ctl1, files/cmp1, files/ctl1, files/stor1');
  });

  it('--max-untested-age: a backup never restore-tested fails the check', async () => {
    const check = await cli('backups', '-i', lab.inventory, '--check', '--max-age', '26h', '--max-untested-age', '8d', '--kind', 'db');
    expect(check.code).toBe(1);
    expect(check.stdout.trim()).toBe('untested: db backup of ctl1: no backup passed a restore test (runbook exec verify-backup)');
  });

  it('a backup older than --max-age fails the check, naming it', async () => {
    const dir = (await ssh('stor1', `ls -d ${CATALOG}/db/ctl1/* | tail -n 1`)).trim();
    const id = dir.split('/').at(-1);
    // Two days older, as a backup whose nightly run stopped would be (the manifest is not signed).
    await ssh('stor1', `cp -p ${dir}/manifest.json /root/manifest.keep && sed -i -E 's/"created": "[^"]+"/"created": "'$(date -u -d '-50 hours' +%Y-%m-%dT%H:%M:%SZ)'"/' ${dir}/manifest.json`);
    try {
      const check = await cli('backups', '-i', lab.inventory, '--check', '--max-age', '26h');
      expect(check.code).toBe(1);
      expect(check.stdout.trim()).toMatch(new RegExp(`^stale: db backup of ctl1: the newest verified backup, ${id}, is 2d 2h( \\d+m)? old, more than --max-age 26h$`));
      const metrics = await cli('backups', '-i', lab.inventory, '--metrics', '--kind', 'db');
      const age = Number(/^runbook_backup_last_verified_age_seconds\{[^}]*\} (\S+)$/m.exec(metrics.stdout)?.[1]);
      expect(age).toBeGreaterThanOrEqual(50 * 3600);
    } finally {
      await ssh('stor1', `mv /root/manifest.keep ${dir}/manifest.json`);
    }
  });

  it('usage errors exit 2', async () => {
    const noAge = await cli('backups', '-i', lab.inventory, '--check');
    expect(noAge.code).toBe(2);
    expect(noAge.stderr).toContain('--check needs --max-age');
    const badExpect = await cli('backups', '-i', lab.inventory, '--check', '--max-age', '1d', '--expect', 'db:nosuchgroup');
    expect(badExpect.code).toBe(2);
    expect(badExpect.stderr).toContain("unknown host or group 'nosuchgroup'");
  });
});
