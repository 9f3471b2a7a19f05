import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serviceModule, type ServiceArgs } from '../../../src/modules/service.js';
import type { ModuleContext } from '../../../src/modules/module.js';
import { checkThenApply, workDir } from './hosts.js';
import { localContext, under } from './local-host.js';

/**
 * A fake service manager in a temp bin directory: each unit's state is a file (`NAME.active`,
 * `NAME.enabled`) holding yes or no; each call is logged. Only shell builtins, so PATH can be
 * that directory alone.
 */
const MANAGER = `#!/bin/sh
state=\${0%/*}/../state
echo "\${0##*/} $*" >> "$state/log"
case \${0##*/} in
  systemctl) verb=$1; name=$2 ;;
  service) name=$1; verb=$2 ;;
esac
is() { v=; [ -e "$state/$name.$1" ] && read -r v < "$state/$name.$1"; [ "$v" = yes ]; }
case $verb in
  is-active|status) is active ;;
  is-enabled) is enabled ;;
  start|restart) echo yes > "$state/$name.active"; echo x >> "$state/$name.starts" ;;
  stop) echo no > "$state/$name.active" ;;
  enable) echo yes > "$state/$name.enabled" ;;
  disable) echo no > "$state/$name.enabled" ;;
  *) echo "unknown verb $verb" >&2; exit 2 ;;
esac
`;

const flag = (file: string): boolean => existsSync(file) && readFileSync(file, 'utf8') === 'yes\n';

/** A host whose PATH holds only the fake manager (and sh, which `env` needs to find). */
async function fakeServiceHost(manager: 'systemctl' | 'service', units: { active?: string[]; enabled?: string[] } = {}) {
  const dir = workDir();
  mkdirSync(under(dir, 'bin'));
  mkdirSync(under(dir, 'state'));
  writeFileSync(under(dir, 'bin', manager), MANAGER);
  chmodSync(under(dir, 'bin', manager), 0o755);
  symlinkSync('/bin/sh', under(dir, 'bin/sh'));
  for (const u of units.active ?? []) writeFileSync(under(dir, 'state', `${u}.active`), 'yes\n');
  for (const u of units.enabled ?? []) writeFileSync(under(dir, 'state', `${u}.enabled`), 'yes\n');
  const { ctx } = await localContext({ env: { PATH: under(dir, 'bin') } });
  return {
    ctx,
    active: (name: string) => flag(under(dir, 'state', `${name}.active`)),
    enabled: (name: string) => flag(under(dir, 'state', `${name}.enabled`)),
    starts: (name: string) => (existsSync(under(dir, 'state', `${name}.starts`)) ? readFileSync(under(dir, 'state', `${name}.starts`), 'utf8').split('\n').length - 1 : 0),
    log: () => readFileSync(under(dir, 'state/log'), 'utf8').trim().split('\n'),
  };
}

/** check -> apply -> verify, then check again is ok. */
async function converge(ctx: ModuleContext, args: ServiceArgs) {
  const { checked, prior, applied } = await checkThenApply(serviceModule, ctx, args);
  expect(checked.status).toBe('change');
  expect(applied).toMatchObject({ ok: true });
  expect(await serviceModule.verify!(ctx, args)).toMatchObject({ ok: true });
  if (args.state !== 'restarted') expect((await serviceModule.check(ctx, args)).status).toBe('ok');
  return prior!;
}

describe('service through systemctl on a local host', () => {
  it('starts a stopped service, is ok after, and rollback stops it again', async () => {
    const host = await fakeServiceHost('systemctl');
    const args: ServiceArgs = { name: 'nova-api', state: 'started' };
    const prior = await converge(host.ctx, args);
    expect(host.active('nova-api')).toBe(true);
    expect(await serviceModule.rollback!(host.ctx, args, prior)).toMatchObject({ ok: true });
    expect(host.active('nova-api')).toBe(false);
  });

  it('stops a running service and enables nothing it was not asked to', async () => {
    const host = await fakeServiceHost('systemctl', { active: ['nova-scheduler'], enabled: ['nova-scheduler'] });
    const args: ServiceArgs = { name: 'nova-scheduler', state: 'stopped' };
    const prior = await converge(host.ctx, args);
    await serviceModule.rollback!(host.ctx, args, prior);
    expect([host.active('nova-scheduler'), host.enabled('nova-scheduler')]).toEqual([true, true]);
    expect(host.log().filter((l) => /enable|disable/.test(l) && !l.includes('is-enabled'))).toEqual([]);
  });

  it('restarts every time, and enables at boot with rollback disabling again', async () => {
    const host = await fakeServiceHost('systemctl', { active: ['mariadb'] });
    const args: ServiceArgs = { name: 'mariadb', state: 'restarted', enabled: true };
    const prior = await converge(host.ctx, args);
    expect((await serviceModule.check(host.ctx, args)).status).toBe('change');
    expect([host.starts('mariadb'), host.enabled('mariadb')]).toEqual([1, true]);
    await serviceModule.rollback!(host.ctx, args, prior);
    expect([host.active('mariadb'), host.enabled('mariadb')]).toEqual([true, false]);
  });

  it('asks for the manager once per connection', async () => {
    const host = await fakeServiceHost('systemctl');
    await serviceModule.check(host.ctx, { name: 'a', state: 'started' });
    const again = await serviceModule.check(host.ctx, { name: 'b', state: 'started' });
    expect(again.commands.map((c) => c.command)).toEqual(['systemctl is-active b']);
  });
});

describe('service without systemctl', () => {
  it('uses `service NAME start|stop|status`', async () => {
    const host = await fakeServiceHost('service');
    const args: ServiceArgs = { name: 'nova-api', state: 'started' };
    const prior = await converge(host.ctx, args);
    await serviceModule.rollback!(host.ctx, args, prior);
    expect(host.active('nova-api')).toBe(false);
    expect(host.log()).toEqual([
      'service nova-api status', 'service nova-api start', 'service nova-api status', 'service nova-api status', 'service nova-api stop',
    ]);
  });

  it('refuses enabled in the check, before anything changes', async () => {
    const host = await fakeServiceHost('service');
    expect(await serviceModule.check(host.ctx, { name: 'nova-api', state: 'started', enabled: true })).toMatchObject({ status: 'failed' });
    expect(host.active('nova-api')).toBe(false);
  });
});
