import { describe, expect, it } from 'vitest';
import { cronLine } from '../../../src/schedule/cron.js';
import type { ScheduledJob } from '../../../src/schedule/job.js';
import { execWord, systemdUnits } from '../../../src/schedule/systemd.js';

const job = (changes: Partial<ScheduledJob> = {}): ScheduledJob => ({
  name: 'runbook-backup-db-prod',
  runbook: 'backup-db',
  inventoryFile: '/srv/ops/inventory/prod.yaml',
  node: '/usr/bin/node',
  script: '/srv/ops/dist/bin/runbook.js',
  args: ['exec', 'backup-db', '--inventory', 'prod'],
  workingDirectory: '/srv/ops',
  environmentFile: '/etc/runbook/runbook-backup-db-prod.env',
  secretVariables: ['RUNBOOK_DB_PASSWORD'],
  every: { period: 'daily', hour: 1, minute: 0, weekday: 0 },
  stopTimeoutSec: 3600,
  runTimeoutSec: 21600,
  logFile: '/srv/ops/.runbook/logs/runbook-backup-db-prod.log',
  ...changes,
});

const setting = (text: string, key: string): string[] => text.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));

describe('systemd units', () => {
  const [service, timer] = systemdUnits(job(), 'ops');

  it('a oneshot service: the command line, its folder, the user, the secrets file, a stop that rolls back', () => {
    expect(service?.name).toBe('runbook-backup-db-prod.service');
    const text = service?.text ?? '';
    expect(setting(text, 'Type')).toEqual(['oneshot']);
    expect(setting(text, 'ExecStart')).toEqual(['/usr/bin/node /srv/ops/dist/bin/runbook.js exec backup-db --inventory prod']);
    expect(setting(text, 'WorkingDirectory')).toEqual(['/srv/ops']);
    expect(setting(text, 'User')).toEqual(['ops']);
    // Required: the run cannot take its backup without the password.
    expect(setting(text, 'EnvironmentFile')).toEqual(['/etc/runbook/runbook-backup-db-prod.env']);
    expect(setting(text, 'KillSignal')).toEqual(['SIGTERM']);
    expect(setting(text, 'KillMode')).toEqual(['mixed']);
    expect(setting(text, 'TimeoutStopSec')).toEqual(['3600s']);
    expect(setting(text, 'TimeoutStartSec')).toEqual(['21600s']);
  });

  it('an environment file is optional (-) when the runbook reads no secret from the environment', () => {
    const [optional] = systemdUnits(job({ secretVariables: [] }), 'ops');
    expect(setting(optional?.text ?? '', 'EnvironmentFile')).toEqual(['-/etc/runbook/runbook-backup-db-prod.env']);
  });

  it('a timer on the calendar, persistent, with a randomized delay, enabled by timers.target', () => {
    expect(timer?.name).toBe('runbook-backup-db-prod.timer');
    const text = timer?.text ?? '';
    expect(setting(text, 'OnCalendar')).toEqual(['*-*-* 01:00:00']);
    expect(setting(text, 'Persistent')).toEqual(['true']);
    expect(setting(text, 'RandomizedDelaySec')).toEqual(['15min']);
    expect(setting(text, 'WantedBy')).toEqual(['timers.target']);
  });

  it.each([
    ['plain', 'plain'],
    ['databases=nova,glance', 'databases=nova,glance'],
    ['/srv/my ops/x', '"/srv/my ops/x"'],
    ['50%', '"50%%"'],
    ['$HOME', '"$$HOME"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    [';', '\\;'],
    ['', '""'],
  ])('ExecStart word %j is written %s', (word, written) => {
    expect(execWord(word)).toBe(written);
  });
});

describe('crontab line', () => {
  it('the schedule, then the command in its folder with the secrets file sourced, under timeout, appending to the log', () => {
    const [comment, line, end] = cronLine(job()).split('\n');
    expect(comment).toMatch(/^# runbook-backup-db-prod: runbook backup-db on \/srv\/ops\/inventory\/prod.yaml, daily 01:00/);
    expect(line).toBe(
      '0 1 * * * cd /srv/ops && set -a && . /etc/runbook/runbook-backup-db-prod.env && set +a && ' +
        'exec timeout --preserve-status --signal=TERM --kill-after=3600s 21600s /usr/bin/node /srv/ops/dist/bin/runbook.js exec backup-db --inventory prod' +
        ' >> /srv/ops/.runbook/logs/runbook-backup-db-prod.log 2>&1',
    );
    expect(end).toBe('');
  });

  it('sources an optional secrets file only when it exists', () => {
    expect(cronLine(job({ secretVariables: [] }))).toContain('if [ -e /etc/runbook/runbook-backup-db-prod.env ]; then . /etc/runbook/runbook-backup-db-prod.env; fi');
  });

  it("quotes words for the shell and escapes cron's % (which would end the command)", () => {
    const line = cronLine(job({ args: ['exec', 'backup-db', '--param', "note=it's 100%"], workingDirectory: '/srv/my ops' })).split('\n')[1] ?? '';
    expect(line).toContain("cd '/srv/my ops' && ");
    expect(line).toContain(`--param 'note=it'\\''s 100\\%'`);
    expect(line.replace(/\\%/g, '')).not.toContain('%');
  });
});
