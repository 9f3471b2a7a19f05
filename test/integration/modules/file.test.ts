import { chmodSync, existsSync, mkdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileModule, type FileArgs } from '../../../src/modules/file.js';
import type { ModuleContext } from '../../../src/modules/module.js';
import { checkThenApply, tree, workDir } from './hosts.js';
import { localContext, modeOf, namesIn, under } from './local-host.js';

/** check -> apply -> check again: applied ok, and the second check says ok (idempotent). */
async function converge(ctx: ModuleContext, args: FileArgs) {
  const { checked, prior, applied } = await checkThenApply(fileModule, ctx, args);
  expect(checked.status).toBe('change');
  expect(applied).toMatchObject({ ok: true });
  expect((await fileModule.check(ctx, args)).status).toBe('ok');
  return prior!;
}

describe('file on a local host', () => {
  it('creates nested directories with a mode; rollback removes exactly what it created', async () => {
    const dir = workDir();
    const before = tree(dir);
    const { ctx } = await localContext();
    const args: FileArgs = { path: under(dir, 'a/b/c'), state: 'directory', mode: '0750' };
    const prior = await converge(ctx, args);
    expect(modeOf(args.path)).toBe('750');
    expect(await fileModule.rollback!(ctx, args, prior)).toMatchObject({ ok: true });
    expect(tree(dir)).toBe(before);
  });

  it('leaves a created directory that something else wrote into, and says so', async () => {
    const dir = workDir();
    const { ctx } = await localContext();
    const args: FileArgs = { path: under(dir, 'new'), state: 'directory' };
    const prior = await converge(ctx, args);
    writeFileSync(under(dir, 'new/data'), 'not ours');
    expect(await fileModule.rollback!(ctx, args, prior)).toMatchObject({ ok: false });
    expect(existsSync(under(dir, 'new/data'))).toBe(true);
  });

  it('changes a mode and restores it exactly, setgid included', async () => {
    const dir = workDir();
    const path = under(dir, 'd');
    mkdirSync(path);
    chmodSync(path, 0o700);
    const { ctx } = await localContext();
    const args: FileArgs = { path, state: 'directory', mode: '2775' };
    const prior = await converge(ctx, args);
    expect(modeOf(path)).toBe('2775');
    await fileModule.rollback!(ctx, args, prior);
    expect(modeOf(path)).toBe('700');
  });

  it('absent moves a tree aside; rollback brings it back exactly; commit deletes the aside copy', async () => {
    const dir = workDir();
    mkdirSync(under(dir, 'old/sub'), { recursive: true });
    writeFileSync(under(dir, 'old/sub/f'), 'data', { mode: 0o600 });
    const before = tree(dir);
    const { ctx } = await localContext();
    const args: FileArgs = { path: under(dir, 'old'), state: 'absent' };
    const prior = await converge(ctx, args);
    expect(existsSync(args.path)).toBe(false);
    await fileModule.rollback!(ctx, args, prior);
    expect(tree(dir)).toBe(before);

    const again = await converge(ctx, args);
    expect(await fileModule.commit!(ctx, args, again)).toMatchObject({ ok: true });
    expect(namesIn(dir)).toEqual([]);
  });

  it('points a link elsewhere and back; replaces a file with a link and back', async () => {
    const dir = workDir();
    symlinkSync('/etc/hostname', under(dir, 'l'));
    writeFileSync(under(dir, 'f'), 'keep me');
    const before = tree(dir);
    const { ctx } = await localContext();
    const relink: FileArgs = { path: under(dir, 'l'), state: 'link', src: '/etc/hosts' };
    const p1 = await converge(ctx, relink);
    expect(readlinkSync(relink.path)).toBe('/etc/hosts');
    const replace: FileArgs = { path: under(dir, 'f'), state: 'link', src: 'l' };
    const p2 = await converge(ctx, replace);
    await fileModule.rollback!(ctx, replace, p2);
    await fileModule.rollback!(ctx, relink, p1);
    expect(tree(dir)).toBe(before);
  });

  it('touch creates a file (and its directory) and rollback removes both', async () => {
    const dir = workDir();
    const { ctx } = await localContext();
    const args: FileArgs = { path: under(dir, 'run/flag'), state: 'touch', mode: '0600' };
    const prior = await converge(ctx, args);
    expect(modeOf(args.path)).toBe('600');
    await fileModule.rollback!(ctx, args, prior);
    expect(namesIn(dir)).toEqual([]);
  });

  it('recurse sets every entry and rollback restores each one', async () => {
    const dir = workDir();
    mkdirSync(under(dir, 't/a/b'), { recursive: true });
    writeFileSync(under(dir, 't/a/x y'), '1', { mode: 0o644 });
    writeFileSync(under(dir, 't/a/b/z'), '2', { mode: 0o600 });
    chmodSync(under(dir, 't/a/b'), 0o700);
    const before = tree(dir);
    const { ctx } = await localContext();
    const args: FileArgs = { path: under(dir, 't'), state: 'directory', mode: '0750', recurse: true };
    const prior = await converge(ctx, args);
    expect([modeOf(under(dir, 't/a/x y')), modeOf(under(dir, 't/a/b'))]).toEqual(['750', '750']);
    expect(await fileModule.rollback!(ctx, args, prior)).toMatchObject({ ok: true });
    expect(tree(dir)).toBe(before);
  });

  it('state file on a missing path fails the check and changes nothing', async () => {
    const dir = workDir();
    const { ctx } = await localContext();
    expect(await fileModule.check(ctx, { path: under(dir, 'nope'), state: 'file' })).toMatchObject({ status: 'failed' });
    expect(namesIn(dir)).toEqual([]);
  });
});
