import { describe, expect, it } from 'vitest';
import { runModule } from '../../../src/modules/run.js';
import type { RunArgs } from '../../../src/runbook/types.js';
import { fakeHost, succeeding } from './fake-host.js';

describe('run check', () => {
  const table: { name: string; args: RunArgs; exitCode?: number; status: string; commands: string[] }[] = [
    { name: 'check exits 0: done', args: { run: 'make', check: 'test -f /done' }, exitCode: 0, status: 'ok', commands: ['test -f /done'] },
    { name: 'check exits 1: to do', args: { run: 'make', check: 'test -f /done' }, exitCode: 1, status: 'change', commands: ['test -f /done'] },
    { name: 'creates exists: done, path quoted', args: { run: 'make', creates: '/var/lib/a b' }, exitCode: 0, status: 'ok', commands: ["test -e '/var/lib/a b'"] },
    { name: 'creates missing: to do', args: { run: 'make', creates: '/x' }, exitCode: 1, status: 'change', commands: ['test -e /x'] },
    { name: 'removes gone: done', args: { run: 'rm /x', removes: '/x' }, exitCode: 0, status: 'ok', commands: ['test ! -e /x'] },
    { name: 'a path cannot inject a command', args: { run: 'make', removes: '/x; touch /pwned' }, exitCode: 1, status: 'change', commands: ["test ! -e '/x; touch /pwned'"] },
    { name: 'no check: unknown, nothing run', args: { run: 'make' }, status: 'unknown', commands: [] },
  ];
  it.each(table)('$name', async ({ args, exitCode, status, commands }) => {
    const host = fakeHost([{ command: /^test /, exitCode: exitCode ?? 0 }]);
    const checked = await runModule.check(host.ctx, args);
    expect(checked.status).toBe(status);
    expect(host.commands).toEqual(commands);
  });
});

describe('run apply, verify, rollback', () => {
  it('apply runs the command; ok iff it exits 0 (a failure is data)', async () => {
    const ok = fakeHost(succeeding(['make install']));
    expect(await runModule.apply(ok.ctx, { run: 'make install' }, null)).toMatchObject({ ok: true, commands: [{ command: 'make install', exitCode: 0 }] });
    const failing = fakeHost([{ command: 'make', exitCode: 2 }]);
    expect(await runModule.apply(failing.ctx, { run: 'make install' }, null)).toMatchObject({ ok: false, commands: [{ exitCode: 2 }] });
  });

  it('verify without a command passes and runs nothing; a failing one says its exit code', async () => {
    const none = fakeHost();
    expect(await runModule.verify!(none.ctx, { run: 'x' })).toMatchObject({ ok: true, commands: [] });
    const failing = fakeHost([{ command: 'mysql', exitCode: 1 }]);
    expect(await runModule.verify!(failing.ctx, { run: 'x', verify: 'mysql -e "select 1"' })).toMatchObject({ ok: false, message: 'verify failed: exit code 1' });
  });

  it('rollback runs the rollback command; without one it fails in words and runs nothing', async () => {
    const host = fakeHost(succeeding(['undo x']));
    expect(await runModule.rollback!(host.ctx, { run: 'x', rollback: 'undo x' }, null)).toMatchObject({ ok: true });
    expect(host.commands).toEqual(['undo x']);
    const none = fakeHost();
    const outcome = await runModule.rollback!(none.ctx, { run: 'x' }, null);
    expect(outcome).toMatchObject({ ok: false, commands: [] });
    expect(outcome.message).toMatch(/no rollback command/);
  });

  it('irreversible is the author reason', () => {
    expect(runModule.irreversible!({ run: 'x', irreversible: 'drops a table' })).toBe('drops a table');
    expect(runModule.irreversible!({ run: 'x' })).toBeUndefined();
  });

  it('declares its shell fields: creates and removes are paths, quoted by the module', () => {
    expect([...runModule.shellFields].sort()).toEqual(['check', 'rollback', 'run', 'verify']);
  });
});

describe('run with stdin', () => {
  it('feeds stdin to its check, its command, its verify and its rollback', async () => {
    const host = fakeHost([{ command: 'test', exitCode: 1 }, ...succeeding(['import', 'verify', 'undo'])]);
    const args = { run: 'import', check: 'test -f /done', verify: 'verify', rollback: 'undo', stdin: 'pw' };
    await runModule.check(host.ctx, args);
    await runModule.apply(host.ctx, args, null);
    await runModule.verify!(host.ctx, args);
    await runModule.rollback!(host.ctx, args, null);
    expect(host.commands).toEqual(['test -f /done', 'import', 'verify', 'undo']);
    expect(host.stdins).toEqual(['pw', 'pw', 'pw', 'pw']);
  });
});
