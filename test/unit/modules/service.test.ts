import { describe, expect, it } from 'vitest';
import { serviceModule, type ServiceArgs, type ServicePrior } from '../../../src/modules/service.js';
import { fakeHost, succeeding, type Answer } from './fake-host.js';

/** The host's facts as answers: whether it has systemctl, and the service's state. */
function facts(f: { systemctl?: boolean; active: boolean; enabled?: boolean }): Answer[] {
  return [
    { command: 'command -v systemctl', exitCode: f.systemctl === false ? 1 : 0, stdout: '/usr/bin/systemctl\n' },
    { command: /is-active|status$/, exitCode: f.active ? 0 : 3 },
    { command: /is-enabled/, exitCode: f.enabled ? 0 : 1 },
  ];
}

interface Case {
  name: string;
  args: ServiceArgs;
  host: { systemctl?: boolean; active: boolean; enabled?: boolean };
  status: 'ok' | 'change' | 'failed';
  /** Commands after the fact commands; apply then rollback. */
  apply?: string[];
  rollback?: string[];
}

const table: Case[] = [
  { name: 'started and active: ok', args: { name: 'nova-api', state: 'started' }, host: { active: true }, status: 'ok' },
  { name: 'stopped and inactive: ok', args: { name: 'nova-api', state: 'stopped' }, host: { active: false }, status: 'ok' },
  {
    name: 'started but inactive: start, rollback stops',
    args: { name: 'nova-api', state: 'started' }, host: { active: false }, status: 'change',
    apply: ['systemctl start nova-api'], rollback: ['systemctl stop nova-api'],
  },
  {
    name: 'stopped but active: stop, rollback starts',
    args: { name: 'nova-api', state: 'stopped' }, host: { active: true }, status: 'change',
    apply: ['systemctl stop nova-api'], rollback: ['systemctl start nova-api'],
  },
  {
    name: 'restarted: always a change, rollback leaves it running',
    args: { name: 'nova-api', state: 'restarted' }, host: { active: true }, status: 'change',
    apply: ['systemctl restart nova-api'], rollback: ['systemctl start nova-api'],
  },
  {
    name: 'restarted while stopped: rollback stops it again',
    args: { name: 'nova-api', state: 'restarted' }, host: { active: false }, status: 'change',
    apply: ['systemctl restart nova-api'], rollback: ['systemctl stop nova-api'],
  },
  { name: 'started and enabled as asked: ok', args: { name: 'mariadb', state: 'started', enabled: true }, host: { active: true, enabled: true }, status: 'ok' },
  {
    name: 'running but not enabled: only enable, rollback disables',
    args: { name: 'mariadb', state: 'started', enabled: true }, host: { active: true, enabled: false }, status: 'change',
    apply: ['systemctl enable mariadb'], rollback: ['systemctl start mariadb && systemctl disable mariadb'],
  },
  {
    name: 'without systemctl: the service command',
    args: { name: 'nova-api', state: 'started' }, host: { systemctl: false, active: false }, status: 'change',
    apply: ['service nova-api start'], rollback: ['service nova-api stop'],
  },
  { name: 'enabled without systemctl: refused by the check', args: { name: 'nova-api', state: 'started', enabled: true }, host: { systemctl: false, active: false }, status: 'failed' },
  {
    name: 'a strange name is one quoted word',
    args: { name: 'x; reboot', state: 'started' }, host: { active: false }, status: 'change',
    apply: ["systemctl start 'x; reboot'"], rollback: ["systemctl stop 'x; reboot'"],
  },
];

describe('service: facts in, commands out', () => {
  it.each(table)('$name', async ({ args, host: state, status, apply, rollback }) => {
    const host = fakeHost([...facts(state), ...succeeding(apply, rollback)]);
    const checked = await serviceModule.check(host.ctx, args);
    expect(checked.status).toBe(status);
    if (checked.status !== 'change') return;
    const factCount = host.commands.length;
    await serviceModule.apply(host.ctx, args, checked.prior);
    expect(host.commands.slice(factCount)).toEqual(apply);
    const before = host.commands.length;
    await serviceModule.rollback!(host.ctx, args, checked.prior);
    expect(host.commands.slice(before)).toEqual(rollback);
  });

  it('reads is-active (and is-enabled only when asked) after detecting the manager', async () => {
    const host = fakeHost(facts({ active: true, enabled: true }));
    await serviceModule.check(host.ctx, { name: 'nova-api', state: 'started' });
    expect(host.commands).toEqual(['command -v systemctl', 'systemctl is-active nova-api']);
    const withEnabled = fakeHost(facts({ active: true, enabled: true }));
    await serviceModule.check(withEnabled.ctx, { name: 'nova-api', state: 'started', enabled: true });
    expect(withEnabled.commands).toEqual(['command -v systemctl', 'systemctl is-active nova-api', 'systemctl is-enabled nova-api']);
  });

  it('detects the manager once per connection, and again on another connection', async () => {
    const host = fakeHost(facts({ active: true }));
    await serviceModule.check(host.ctx, { name: 'a', state: 'started' });
    await serviceModule.check(host.ctx, { name: 'b', state: 'started' });
    expect(host.commands.filter((c) => c === 'command -v systemctl')).toHaveLength(1);
    const other = fakeHost(facts({ systemctl: false, active: true }));
    await serviceModule.check(other.ctx, { name: 'a', state: 'started' });
    expect(other.commands).toEqual(['command -v systemctl', 'service a status']);
  });

  it('prior records what the check saw', async () => {
    const host = fakeHost(facts({ active: false, enabled: true }));
    const checked = await serviceModule.check(host.ctx, { name: 'a', state: 'started', enabled: true });
    expect(checked).toMatchObject({ status: 'change', prior: { manager: 'systemctl', wasActive: false, wasEnabled: true } satisfies ServicePrior });
  });

  it('a unit still activating (alive, not answering) is not stopped: stop stops it, and rollback starts it again', async () => {
    const activating: Answer[] = [
      { command: 'command -v systemctl', exitCode: 0, stdout: '/usr/bin/systemctl\n' },
      { command: /is-active/, exitCode: 3, stdout: 'activating\n' },
      { command: 'systemctl stop', exitCode: 0 },
      { command: 'systemctl start', exitCode: 0 },
    ];
    const host = fakeHost(activating);
    const checked = await serviceModule.check(host.ctx, { name: 'keystone', state: 'stopped' });
    expect(checked).toMatchObject({ status: 'change', prior: { wasActive: true, wasHealthy: false } });
    if (checked.status !== 'change') return;
    await serviceModule.apply(host.ctx, { name: 'keystone', state: 'stopped' }, checked.prior);
    await serviceModule.rollback!(host.ctx, { name: 'keystone', state: 'stopped' }, checked.prior);
    expect(host.commands.slice(2)).toEqual(['systemctl stop keystone', 'systemctl start keystone']);
    const starting = fakeHost(activating);
    const toStart = await serviceModule.check(starting.ctx, { name: 'keystone', state: 'started' });
    if (toStart.status !== 'change') throw new Error('a unit that is not active must be started');
    await serviceModule.apply(starting.ctx, { name: 'keystone', state: 'started' }, toStart.prior);
    expect(starting.commands.slice(2)).toEqual(['systemctl start keystone']);
  });

  it('a failed start is data: ok false with the command', async () => {
    const host = fakeHost([...facts({ active: false }).slice(0, 2), { command: 'systemctl start', exitCode: 1 }]);
    const outcome = await serviceModule.apply(host.ctx, { name: 'a', state: 'started' }, { manager: 'systemctl', wasActive: false });
    expect(outcome).toMatchObject({ ok: false, commands: [{ command: 'systemctl start a', exitCode: 1 }] });
  });
});

describe('service verify', () => {
  const cases: { name: string; args: ServiceArgs; host: { active: boolean; enabled?: boolean }; ok: boolean; message?: string }[] = [
    { name: 'started and active', args: { name: 'a', state: 'started' }, host: { active: true }, ok: true },
    { name: 'restarted wants active', args: { name: 'a', state: 'restarted' }, host: { active: false }, ok: false, message: 'a is not active after start' },
    { name: 'stopped and active', args: { name: 'a', state: 'stopped' }, host: { active: true }, ok: false, message: 'a is active after stop' },
    { name: 'stopped and inactive', args: { name: 'a', state: 'stopped' }, host: { active: false }, ok: true },
    { name: 'enabled as asked', args: { name: 'a', state: 'started', enabled: false }, host: { active: true, enabled: true }, ok: false, message: 'a is enabled' },
  ];
  it.each(cases)('$name', async ({ args, host: state, ok, message }) => {
    const host = fakeHost(facts(state));
    const outcome = await serviceModule.verify!(host.ctx, args);
    expect(outcome.ok).toBe(ok);
    if (message) expect(outcome.message).toBe(message);
  });
});
