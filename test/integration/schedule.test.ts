import { execFileSync, spawnSync } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

// `runbook schedule`'s output checked by the schedulers' own parsers: Debian's systemd-analyze
// verify (offline: no systemd runs here) for the units, Debian cron's crontab for the line.
const repo = fileURLToPath(new URL('../../', import.meta.url));
const SCHEDULED = ['backup-db', 'backup-files', 'rotate', 'verify-backup'];

/** `systemd-analyze verify` of unit files: its exit code and the lines about them (the machine's own units may have complaints of their own). */
function verifyUnits(files: string[]): { code: number | null; about: string[] } {
  const run = spawnSync('systemd-analyze', ['verify', '--man=no', ...files], { encoding: 'utf8' });
  const names = files.map((f) => f.split('/').at(-1)?.replace(/\.(service|timer)$/, '') ?? f);
  const about = `${run.stdout}${run.stderr}`.split('\n').filter((line) => names.some((n) => line.includes(n)));
  return { code: run.status, about };
}

/**
 * Installs a crontab with cron's own `crontab` (which parses it and refuses a line it cannot
 * run) in a private mount namespace over an empty spool, so nothing reaches the machine's cron;
 * the installed crontab as `crontab -l` prints it.
 */
function installCrontab(file: string): { code: number | null; stdout: string; stderr: string } {
  const script = 'mount -t tmpfs tmpfs /var/spool/cron && mkdir -m 1730 /var/spool/cron/crontabs && crontab -u root "$1" && crontab -u root -l';
  const run = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', file], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function schedule(runbook: string, format: 'systemd' | 'cron', ...args: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `schedule-${format}-`));
  const result = await runCli(['schedule', runbook, '-i', 'lab', '--format', format, '--output', dir, ...args], { cwd: repo });
  expect(result.code, result.stderr).toBe(0);
  return dir;
}

describe('runbook schedule, checked by systemd-analyze verify and crontab', () => {
  it.each(SCHEDULED)('%s: the service and timer pass systemd-analyze verify', async (runbook) => {
    const dir = await schedule(runbook, 'systemd');
    const files = readdirSync(dir).sort().map((f) => join(dir, f));
    expect(files.map((f) => f.split('/').at(-1))).toEqual([`runbook-${runbook}-lab.service`, `runbook-${runbook}-lab.timer`]);
    expect(verifyUnits(files)).toEqual({ code: 0, about: [] });
    // The command line the service runs names the real node and the built CLI.
    const execStart = readFileSync(files[0] as string, 'utf8').match(/^ExecStart=(\S+) (\S+) /m);
    expect(execStart?.slice(1)).toEqual([execFileSync('readlink', ['-f', process.execPath], { encoding: 'utf8' }).trim(), join(repo, 'dist/bin/runbook.js')]);
  });

  it('paths with quotes, spaces, % and $ pass too', async () => {
    const dir = await schedule('rotate', 'systemd', '--every', 'monthly 05:30', '--param', 'max_age=90d', '--secrets-file', '/etc/runbook/50% of $HOME.env');
    const files = readdirSync(dir).map((f) => join(dir, f));
    expect(verifyUnits(files)).toEqual({ code: 0, about: [] });
    const cron = join(await schedule('rotate', 'cron', '--param', 'max_age=90d', '--secrets-file', "/etc/runbook/50% of $HOME's.env"), 'runbook-rotate-lab.cron');
    const installed = installCrontab(cron);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toContain("'/etc/runbook/50\\% of $HOME'\\''s.env'");
  });

  it('the oracle refuses a broken unit (so passing it means something)', async () => {
    const dir = await schedule('backup-db', 'systemd');
    const timer = join(dir, 'runbook-backup-db-lab.timer');
    writeFileSync(timer, readFileSync(timer, 'utf8').replace(/^OnCalendar=.*$/m, 'OnCalendar=*-*-* 25:00:00'));
    const service = join(dir, 'runbook-backup-db-lab.service');
    writeFileSync(service, readFileSync(service, 'utf8').replace(/^ExecStart=\S+/m, 'ExecStart=/nonexistent/node'));
    const verified = verifyUnits([service, timer]);
    expect(verified.code).not.toBe(0);
    expect(verified.about.join('\n')).toContain('/nonexistent/node');
    expect(verified.about.join('\n')).toContain('25:00:00');
  });

  it.each(SCHEDULED)("%s: cron's crontab installs the line as written", async (runbook) => {
    const dir = await schedule(runbook, 'cron');
    const file = join(dir, `runbook-${runbook}-lab.cron`);
    const installed = installCrontab(file);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toContain(readFileSync(file, 'utf8').split('\n')[1]);
  });

  it("cron's crontab refuses a broken line (so passing it means something)", async () => {
    const dir = await schedule('backup-db', 'cron');
    const file = join(dir, 'runbook-backup-db-lab.cron');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^0 1 /m, '0 25 '));
    const installed = installCrontab(file);
    expect(installed.code).not.toBe(0);
    expect(installed.stderr).toContain('bad hour');
  });
});

describe("a scheduled run stopped by the scheduler rolls back", () => {
  it("cron's line: past --max-run, timeout's SIGTERM makes runbook roll back, and its exit 130 is kept", async () => {
    const site = mkdtempSync(join(tmpdir(), 'schedule-stop-'));
    const marker = join(site, 'marker');
    mkdirSync(join(site, 'runbooks'));
    mkdirSync(join(site, 'inventory'));
    mkdirSync(join(site, '.runbook', 'logs'), { recursive: true });
    writeFileSync(join(site, 'inventory', 'site.yaml'), 'all:\n  children:\n    controller: { hosts: { ctl1: { ansible_connection: local } } }\n');
    writeFileSync(
      join(site, 'runbooks', 'slow.yaml'),
      [
        'apiVersion: runbook/v1',
        'name: slow',
        'version: 1.0.0',
        'description: a change, then a step that outlasts --max-run',
        'hosts: controller',
        'steps:',
        '  - id: mark',
        '    name: Leave a marker',
        `    run: touch ${marker}`,
        `    creates: ${marker}`,
        `    rollback: rm -f ${marker}`,
        '  - id: wait',
        '    name: Outlast the schedule',
        '    run: sleep 120',
        '    irreversible: only waits',
        '',
      ].join('\n'),
    );
    const scheduled = await runCli(['schedule', 'slow', '-i', 'site', '--format', 'cron', '--every', 'daily 03:00', '--max-run', '3s', '--stop-timeout', '60s'], { cwd: site });
    expect(scheduled.code, scheduled.stderr).toBe(0);
    const line = scheduled.stdout.split('\n').find((l) => l.startsWith('0 3 * * * ')) ?? '';
    const command = line.split(' ').slice(5).join(' ').replace(/\\%/g, '%');
    const child = spawn('/bin/sh', ['-c', command], { env: { HOME: '/root', LOGNAME: 'root', PATH: '/usr/bin:/bin', SHELL: '/bin/sh' }, stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const log = readFileSync(join(site, '.runbook', 'logs', 'runbook-slow-site.log'), 'utf8');
    expect(code, log).toBe(130);
    expect(log).toContain('interrupted by SIGTERM');
    expect(log).toContain('rolled-back: [ctl1] mark');
    expect(existsSync(marker), log).toBe(false);
  });
});
