import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertModule } from '../../../src/modules/assert.js';
import { waitForModule } from '../../../src/modules/wait-for.js';
import { type ModuleHosts, startModuleHosts, workDir } from './hosts.js';

let hosts: ModuleHosts;
beforeAll(async () => {
  hosts = await startModuleHosts(1);
});
afterAll(async () => hosts?.stop());

describe('assert on a real host', () => {
  it('is ok when every command exits 0', async () => {
    const checked = await assertModule.check(hosts.context('h1'), { that: ['true', 'test -d /'] });
    expect(checked.status).toBe('ok');
    expect(checked.commands.map((c) => c.exitCode)).toEqual([0, 0]);
  });

  it('fails with msg and the first failing command, without running the rest', async () => {
    const dir = workDir();
    const checked = await assertModule.check(hosts.context('h1'), { that: ['true', `test -f ${dir}/missing`, `touch ${dir}/ran`], msg: 'backup is missing' });
    expect(checked).toMatchObject({ status: 'failed', message: `backup is missing: \`test -f ${dir}/missing\` exited 1` });
    expect(checked.commands).toHaveLength(2);
  });
});

describe('wait_for on a real host', () => {
  it('is ok at once for a path that is present, and polls until one appears', async () => {
    const dir = workDir();
    const ctx = hosts.context('h1');
    expect((await waitForModule.check(ctx, { path: dir })).status).toBe('ok');
    const later = join(dir, 'later');
    const checked = await waitForModule.check(ctx, { path: later });
    expect(checked.status).toBe('change');
    const applied = waitForModule.apply(ctx, { path: later, timeoutMs: 20_000 }, null);
    setTimeout(() => writeFileSync(later, ''), 300);
    expect(await applied).toMatchObject({ ok: true, changed: false });
  });

  it('fails with the condition in words once the timeout passes', async () => {
    const dir = workDir();
    const applied = await waitForModule.apply(hosts.context('h1'), { path: `${dir}/never`, timeoutMs: 1000 }, null);
    expect(applied).toMatchObject({ ok: false, message: `timed out after 1 s waiting for ${dir}/never to be present` });
  });

  it('sees a port open (this sshd) and a closed one stopped', async () => {
    const ctx = hosts.context('h1');
    const port = hosts.sshds[0]!.port;
    expect((await waitForModule.check(ctx, { port })).status).toBe('ok');
    expect((await waitForModule.check(ctx, { port: 1, state: 'stopped' })).status).toBe('ok');
    expect((await waitForModule.check(ctx, { port, state: 'stopped' })).status).toBe('change');
  });

  it('waits for a command to succeed or to fail', async () => {
    const ctx = hosts.context('h1');
    expect((await waitForModule.check(ctx, { command: 'test 1 = 1' })).status).toBe('ok');
    expect((await waitForModule.check(ctx, { command: 'false', state: 'stopped' })).status).toBe('ok');
    expect((await waitForModule.apply(ctx, { command: 'false', timeoutMs: 1000 }, null)).ok).toBe(false);
  });

  it('has nothing to undo', async () => {
    expect(waitForModule.mutating).toBe(false);
    expect(await waitForModule.rollback!(hosts.context('h1'), { path: '/' }, null)).toEqual({ ok: true, commands: [] });
  });
});
