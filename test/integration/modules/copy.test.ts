import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { copyModule, type CopyArgs } from '../../../src/modules/copy.js';
import type { ModuleContext } from '../../../src/modules/module.js';
import { checkThenApply, tree, workDir } from './hosts.js';
import { localContext, modeOf, namesIn, under } from './local-host.js';

async function converge(ctx: ModuleContext, args: CopyArgs) {
  const { checked, prior, applied } = await checkThenApply(copyModule, ctx, args);
  expect(checked.status).toBe('change');
  expect(applied).toMatchObject({ ok: true });
  expect((await copyModule.check(ctx, args)).status).toBe('ok');
  return { prior: prior!, applied: applied! };
}

describe('copy on a local host', () => {
  it('writes a new file (0644), then is ok; rollback removes it and the directories it made', async () => {
    const dir = workDir();
    const { ctx } = await localContext();
    const args: CopyArgs = { dest: under(dir, 'etc/nova/nova.conf'), content: '[DEFAULT]\ndebug = true\n' };
    const { prior } = await converge(ctx, args);
    expect(readFileSync(args.dest, 'utf8')).toBe(args.content);
    expect(modeOf(args.dest)).toBe('644');
    expect(await copyModule.rollback!(ctx, args, prior)).toMatchObject({ ok: true });
    expect(namesIn(dir)).toEqual([]);
  });

  it('replaces a file keeping its mode; rollback restores content, mode and inode; commit leaves nothing', async () => {
    const dir = workDir();
    const dest = under(dir, 'nova.conf');
    writeFileSync(dest, 'old content\n');
    chmodSync(dest, 0o640);
    const inode = statSync(dest).ino;
    const before = tree(dir);
    const { ctx } = await localContext();
    const args: CopyArgs = { dest, content: 'new content\n' };
    const { prior } = await converge(ctx, args);
    expect(readFileSync(dest, 'utf8')).toBe('new content\n');
    expect(modeOf(dest)).toBe('640');
    await copyModule.rollback!(ctx, args, prior);
    expect(tree(dir)).toBe(before);
    expect(statSync(dest).ino).toBe(inode);

    const again = await converge(ctx, args);
    expect(await copyModule.commit!(ctx, args, again.prior)).toMatchObject({ ok: true });
    expect(namesIn(dir)).toEqual(['nova.conf']);
  });

  it('changes only the mode when the content matches, and restores it', async () => {
    const dir = workDir();
    const dest = under(dir, 'f');
    writeFileSync(dest, 'same');
    chmodSync(dest, 0o644);
    const { ctx } = await localContext();
    const args: CopyArgs = { dest, content: 'same', mode: '0600' };
    const { prior, applied } = await converge(ctx, args);
    expect(applied.commands.map((c) => c.command)).toEqual([`chmod 600 -- ${dest}`]);
    await copyModule.rollback!(ctx, args, prior);
    expect(modeOf(dest)).toBe('644');
  });

  it('keeps the previous file as DEST.<run id>~ with backup: true', async () => {
    const dir = workDir();
    const dest = under(dir, 'f');
    writeFileSync(dest, 'v1');
    const { ctx } = await localContext();
    const args: CopyArgs = { dest, content: 'v2', backup: true };
    const { prior } = await converge(ctx, args);
    await copyModule.commit!(ctx, args, prior);
    expect(namesIn(dir)).toEqual(['f', 'f.r1~']);
    expect(readFileSync(under(dir, 'f.r1~'), 'utf8')).toBe('v1');
  });

  it('a failed write leaves dest as it was and no temporary behind', async () => {
    const dir = workDir();
    const dest = under(dir, 'f');
    writeFileSync(dest, 'v1');
    const before = tree(dir);
    const { ctx } = await localContext();
    const args: CopyArgs = { dest, content: 'v2', owner: 'no-such-user-runbook' };
    const { applied, prior } = await checkThenApply(copyModule, ctx, args);
    expect(applied).toMatchObject({ ok: false });
    expect(await copyModule.rollback!(ctx, args, prior!)).toMatchObject({ ok: true });
    expect(tree(dir)).toBe(before);
  });

  it('streams a large content through stdin and compares it by sha256', async () => {
    const dir = workDir();
    const { ctx } = await localContext();
    const content = randomBytes(3 * 1024 * 1024).toString('base64');
    const args: CopyArgs = { dest: under(dir, 'big'), content };
    const { applied } = await converge(ctx, args);
    expect(readFileSync(args.dest, 'utf8')).toBe(content);
    expect(applied.commands.every((c) => c.command.length < 1000)).toBe(true);
  });

  it('refuses a directory at dest in the check', async () => {
    const dir = workDir();
    const { ctx } = await localContext();
    expect(await copyModule.check(ctx, { dest: dir, content: 'x' })).toMatchObject({ status: 'failed' });
    expect(existsSync(dir)).toBe(true);
  });
});

describe('copy retried', () => {
  it('applies that go through after a failed one keep the original for rollback', async () => {
    const dir = workDir();
    const dest = under(dir, 'f');
    writeFileSync(dest, 'v1');
    const before = tree(dir);
    const { ctx } = await localContext();
    const failing: CopyArgs = { dest, content: 'v2', owner: 'no-such-user-runbook' };
    const { prior } = await checkThenApply(copyModule, ctx, failing);
    const args: CopyArgs = { dest, content: 'v2' };
    expect(await copyModule.apply(ctx, args, prior!)).toMatchObject({ ok: true });
    expect(await copyModule.apply(ctx, args, prior!)).toMatchObject({ ok: true });
    expect(readFileSync(dest, 'utf8')).toBe('v2');
    await copyModule.rollback!(ctx, args, prior!);
    expect(tree(dir)).toBe(before);
  });
});
