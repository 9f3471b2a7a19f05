import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ScheduleRequest, scheduleRunbook } from '../../../src/commands/schedule.js';
import { fakeIO } from './fake-io.js';

// The repository's own runbooks and its lab inventory: what an operator schedules.
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const program = { node: '/usr/bin/node', script: join(repo, 'dist/bin/runbook.js') };
const request = (changes: Partial<ScheduleRequest>): ScheduleRequest => ({ runbook: 'backup-db', inventory: 'lab', params: [], format: 'systemd', program, ...changes });

async function schedule(changes: Partial<ScheduleRequest>) {
  const io = fakeIO(repo);
  const code = await scheduleRunbook(request(changes), io);
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

describe('runbook schedule', () => {
  it.each([
    ['backup-db', 'OnCalendar=*-*-* 01:00:00'],
    ['backup-files', 'OnCalendar=*-*-* 02:00:00'],
    ['rotate', 'OnCalendar=*-*-* 04:00:00'],
    ['verify-backup', 'OnCalendar=Sun *-*-* 05:00:00'],
  ])('%s has a default schedule (%s), hours apart from the others', async (runbook, calendar) => {
    const { code, stdout, stderr } = await schedule({ runbook });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(calendar);
    expect(stdout).toContain(`ExecStart=/usr/bin/node ${program.script} exec ${runbook} --inventory lab\n`);
    expect(stderr).toContain('nothing was installed');
  });

  it('--every and --param reach the timer and the command line; the params as given', async () => {
    const { code, stdout } = await schedule({ runbook: 'rotate', every: 'weekly Mon 03:15', params: ['keep_last=14'] });
    expect(code).toBe(0);
    expect(stdout).toContain('OnCalendar=Mon *-*-* 03:15:00');
    expect(stdout).toContain('exec rotate --inventory lab --param keep_last=14\n');
  });

  it('the vault flags (file names, not secrets) reach the scheduled command line as given', async () => {
    const { code, stdout } = await schedule({ vault: ['--vault-password-file', 'secrets/vault-pass', '--vault-id', 'prod@secrets/prod-pass'] });
    expect(code).toBe(0);
    expect(stdout).toContain('exec backup-db --inventory lab --vault-password-file secrets/vault-pass --vault-id prod@secrets/prod-pass\n');
  });

  it('writes nothing without --output; with it, the files and what to run next', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'schedule-')), 'units');
    const { code, stdout } = await schedule({ output: dir });
    expect(code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['runbook-backup-db-lab.service', 'runbook-backup-db-lab.timer']);
    expect(statSync(join(dir, 'runbook-backup-db-lab.service')).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(dir, 'runbook-backup-db-lab.service'), 'utf8')).not.toContain('RUNBOOK_DB_PASSWORD=');
    expect(stdout).toContain('(RUNBOOK_DB_PASSWORD)');
    expect(stdout).toContain('systemctl daemon-reload');
    expect(stdout).toContain('systemctl enable --now runbook-backup-db-lab.timer');
  });

  it('--format cron: one crontab line, and how to install it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedule-'));
    const { code, stdout } = await schedule({ format: 'cron', output: dir });
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'runbook-backup-db-lab.cron'), 'utf8')).toMatch(/^0 1 \* \* \* cd /m);
    expect(stdout).toContain(`| crontab -`);
  });

  it.each([
    [{ runbook: 'no-such-runbook' }, /cannot read runbook/],
    [{ inventory: 'no-such-inventory' }, /no inventory 'no-such-inventory'/],
    [{ params: ['databases=nova;drop'] }, /param 'databases' item 'nova;drop' does not fit format identifier/],
    [{ params: ['nope=1'] }, /unknown param 'nope'/],
    [{ runbook: 'recover-nova' }, /recover-nova has no default schedule: give one with --every/],
    [{ every: 'daily 25:00' }, /--every "daily 25:00": expected/],
    [{ format: 'upstart' }, /--format upstart: expected systemd or cron/],
    [{ maxRun: 'soon' }, /--max-run "soon": expected a duration/],
  ])('refuses %j with exit 2, writing nothing', async (changes, message) => {
    const dir = join(mkdtempSync(join(tmpdir(), 'schedule-')), 'units');
    const { code, stdout, stderr } = await schedule({ ...changes, output: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
    expect(() => readdirSync(dir)).toThrow();
  });
});

describe('runbook schedule of a runbook with a confirm question and a free text param', () => {
  const dir = mkdtempSync(join(tmpdir(), 'schedule-own-'));
  mkdirSync(join(dir, 'runbooks'));
  mkdirSync(join(dir, 'inventory'));
  writeFileSync(join(dir, 'inventory', 'site.yaml'), 'all:\n  children:\n    controller: { hosts: { ctl1: { ansible_connection: local } } }\n');
  writeFileSync(
    join(dir, 'runbooks', 'purge.yaml'),
    [
      'apiVersion: runbook/v1',
      'name: purge',
      'version: 1.0.0',
      'description: a runbook that asks before it acts',
      'hosts: controller',
      'params:',
      '  note: { type: string, default: none, description: free text }',
      'steps:',
      '  - id: purge',
      '    name: Purge',
      '    confirm: Purge the old reports?',
      '    run: rm -f /var/tmp/old-report',
      '    removes: /var/tmp/old-report',
      '    irreversible: the reports are not kept',
      '',
    ].join('\n'),
  );
  const own = async (changes: Partial<ScheduleRequest>) => {
    const io = fakeIO(dir);
    const code = await scheduleRunbook({ runbook: 'purge', inventory: 'site', params: [], format: 'systemd', every: 'daily 03:00', program, ...changes }, io);
    return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
  };

  it('adds --yes (a run without a terminal refuses a confirm step without it) and says which question it answers', async () => {
    const { code, stdout, stderr } = await own({});
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(' exec purge --inventory site --yes\n');
    expect(stderr).toContain("warning: the scheduled run answers yes to: step 'purge': Purge the old reports?");
  });

  it('quotes a param for systemd, and refuses one with a control character (it cannot be written into a unit)', async () => {
    const quoted = await own({ params: ['note=50% of $HOME'] });
    expect(quoted.stdout).toContain(' --param "note=50%% of $$HOME" --yes\n');
    const refused = await own({ params: ['note=a\nb'] });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('holds a control character');
  });
});
