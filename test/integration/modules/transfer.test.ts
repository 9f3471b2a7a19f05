import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transferModule, type TransferArgs } from '../../../src/modules/transfer.js';
import { checkThenApply, type ModuleHosts, startModuleHosts, workDir } from './hosts.js';

let hosts: ModuleHosts;
beforeAll(async () => {
  hosts = await startModuleHosts(2);
});
afterAll(async () => hosts?.stop());

/**
 * 256 MB by default (TRANSFER_MB to change it). The control node's RSS grows by about 45 MB of
 * garbage-collector slack whatever the size (50 MB and 300 MB measured alike), so a file much
 * bigger than that slack is what shows that the file is never held.
 */
const MB = Number(process.env.TRANSFER_MB ?? 256);
const sha = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).slice(0, 64);
const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8);

function args(dir: string, extra: Partial<TransferArgs> = {}): TransferArgs {
  return { src: join(dir, 'src.bin'), dest: join(dir, 'out', 'dest.bin'), to: 'h2', checksum: 'sha256', ...extra };
}

describe('transfer between two real hosts', () => {
  it('streams a big file in constant memory on the control node, checksum verified, and is idempotent', async () => {
    const dir = workDir();
    execFileSync('sh', ['-c', `head -c ${MB * 1024 * 1024} /dev/urandom > "$1" && chmod 640 "$1"`, 'sh', join(dir, 'src.bin')]);
    const a = args(dir);
    const ctx = hosts.context('h1');

    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let peakBuffers = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss);
      peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    }, 20);
    const started = Date.now();
    const { checked, applied } = await checkThenApply(transferModule, ctx, a);
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(checked.status).toBe('change');
    expect(applied).toMatchObject({ ok: true });
    expect(sha(a.dest)).toBe(sha(a.src));
    expect(mode(a.dest)).toBe('640');
    const growthMb = (peak - before) / 1024 / 1024;
    // Reported, not timed: the point is that the control node never holds the file.
    console.log(`transfer ${MB} MB: ${(MB / seconds).toFixed(1)} MB/s, control-node RSS growth ${growthMb.toFixed(1)} MB (before ${(before / 1048576).toFixed(0)} MB, peak ${(peak / 1048576).toFixed(0)} MB; Buffers peak ${(peakBuffers / 1048576).toFixed(1)} MB)`);
    expect(growthMb).toBeLessThan(MB / 2);
    expect((await transferModule.check(ctx, a)).status).toBe('ok');
    rmSync(dir, { recursive: true });
  });

  it('rolls back to the previous dest exactly, and commit drops the kept copy', async () => {
    const dir = workDir();
    const a = args(dir);
    writeFileSync(a.src, 'new content\n');
    execFileSync('mkdir', ['-p', join(dir, 'out')]);
    writeFileSync(a.dest, 'old content\n');
    chmodSync(a.dest, 0o600);
    const ctx = hosts.context('h1');
    const { applied, prior } = await checkThenApply(transferModule, ctx, a);
    expect(applied?.ok).toBe(true);
    expect(readFileSync(a.dest, 'utf8')).toBe('new content\n');
    expect(await transferModule.rollback!(ctx, a, prior!)).toMatchObject({ ok: true });
    expect(readFileSync(a.dest, 'utf8')).toBe('old content\n');
    expect(mode(a.dest)).toBe('600');
    expect(execFileSync('ls', ['-A', join(dir, 'out')], { encoding: 'utf8' })).toBe('dest.bin\n');
  });

  it('removes a dest that did not exist before on rollback', async () => {
    const dir = workDir();
    const a = args(dir);
    writeFileSync(a.src, 'x');
    const ctx = hosts.context('h1');
    const { prior } = await checkThenApply(transferModule, ctx, a);
    await transferModule.rollback!(ctx, a, prior!);
    expect(execFileSync('ls', ['-A', join(dir, 'out')], { encoding: 'utf8' })).toBe('');
  });

  it('fails without touching dest when the source is missing', async () => {
    const dir = workDir();
    const a = args(dir);
    const { applied } = await checkThenApply(transferModule, hosts.context('h1'), a);
    expect(applied).toMatchObject({ ok: false, message: `${a.src} is not a regular file on h1` });
  });
});
