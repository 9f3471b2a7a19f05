import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/connection/connection.js';
import type { ModuleContext } from '../../../src/modules/module.js';
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

/** What is in dest's folder: dest itself and any temporary or kept copy beside it. */
const besideDest = (a: TransferArgs): string => (existsSync(join(a.dest, '..')) ? execFileSync('ls', ['-A', join(a.dest, '..')], { encoding: 'utf8' }) : '');

/** A source file with an old mtime, so that any write to it later shows in its stat whatever the clock's resolution. */
function oldFile(file: string, content: Buffer | string): void {
  writeFileSync(file, content);
  utimesSync(file, new Date('2001-01-01T00:00:00Z'), new Date('2001-01-01T00:00:00Z'));
}

/** The connection with `tap` spliced into the stream of every `stream()` command whose text matches. */
function tapped(connection: Connection, matching: RegExp, tap: () => Transform, side: 'stdin' | 'stdout'): Connection {
  return {
    host: connection.host,
    exec: (command, options) => connection.exec(command, options),
    close: () => connection.close(),
    stream: async (command, options) => {
      const started = await connection.stream(command, options);
      if (!matching.test(command)) return started;
      const t = tap();
      if (side === 'stdin') {
        t.pipe(started.stdin);
        return { ...started, stdin: t };
      }
      return { ...started, stdout: started.stdout.pipe(t) };
    },
  };
}

/** A Transform that calls `first` with the first chunk, then passes everything on (changed by `edit`, if given). */
function onFirstChunk(first: () => void, edit: (chunk: Buffer) => Buffer = (c) => c): () => Transform {
  return () => {
    let seen = false;
    return new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (seen) return done(null, chunk);
        seen = true;
        first();
        done(null, edit(chunk));
      },
    });
  };
}

/** h1's context with `transform` applied to the connections the step gets. */
function contextWith(over: { own?: (c: Connection) => Connection; to?: (c: Connection) => Connection }): ModuleContext {
  const ctx = hosts.context('h1');
  const own = over.own ? over.own(ctx.connection) : ctx.connection;
  return {
    ...ctx,
    connection: own,
    connectionTo: async (name) => {
      const c = hosts.connections.get(name)!;
      return over.to ? over.to(c) : c;
    },
  };
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

  it('refuses bytes that arrive other than they were sent, and leaves dest and no part file', async () => {
    const dir = workDir();
    const a = args(dir);
    writeFileSync(a.src, randomBytes(300_000));
    // One byte flipped between the control node's hash and the receiving host: what a faulty
    // disk or relay would do. The receiving host's hash of its file must catch it.
    const flip = onFirstChunk(() => undefined, (chunk) => Buffer.concat([Buffer.from([chunk[0]! ^ 0xff]), chunk.subarray(1)]));
    const ctx = contextWith({ to: (c) => tapped(c, /cat > /, flip, 'stdin') });
    const { checked, applied } = await checkThenApply(transferModule, ctx, a);
    expect(checked.status).toBe('change');
    expect(applied?.ok).toBe(false);
    expect(applied?.message).toMatch(/has sha256 [0-9a-f]{64}, not the [0-9a-f]{64} of the 300000 bytes sent from h1/);
    expect(existsSync(a.dest)).toBe(false);
    expect(besideDest(a)).toBe('');
  });

  it('refuses a source that changed between the check and the send, keeping the previous dest', async () => {
    const dir = workDir();
    const a = args(dir);
    oldFile(a.src, 'first version\n');
    execFileSync('mkdir', ['-p', join(dir, 'out')]);
    writeFileSync(a.dest, 'previous\n');
    const ctx = hosts.context('h1');
    const checked = await transferModule.check(ctx, a);
    if (checked.status !== 'change') throw new Error(`check said ${checked.status}`);
    const { prior } = checked;
    // Same size, other bytes: only the stat (mtime, ctime) can tell.
    writeFileSync(a.src, 'other version\n');
    const applied = await transferModule.apply(ctx, a, prior);
    expect(applied.ok).toBe(false);
    expect(applied.message).toMatch(/src\.bin changed on h1 while it was sent .*dest\.bin was not replaced/);
    expect(readFileSync(a.dest, 'utf8')).toBe('previous\n');
    // The previous dest is still kept aside for the rollback, which puts it back exactly.
    expect(await transferModule.rollback!(ctx, a, prior)).toMatchObject({ ok: true });
    expect(besideDest(a)).toBe('dest.bin\n');
    expect(readFileSync(a.dest, 'utf8')).toBe('previous\n');
  });

  it('refuses a source written to while it is being sent', async () => {
    const dir = workDir();
    const a = args(dir);
    oldFile(a.src, randomBytes(4 * 1024 * 1024));
    // The first bytes reach the control node: someone rewrites the source in place.
    const rewrite = onFirstChunk(() => writeFileSync(a.src, randomBytes(4 * 1024 * 1024)));
    const ctx = contextWith({ own: (c) => tapped(c, /^exec cat /, rewrite, 'stdout') });
    const { applied } = await checkThenApply(transferModule, ctx, a);
    expect(applied?.ok).toBe(false);
    expect(applied?.message).toMatch(/changed on h1 while it was sent/);
    expect(existsSync(a.dest)).toBe(false);
    expect(besideDest(a)).toBe('');
  });

  it('is ok only when dest has the same contents and mode: same size with other bytes, or another mode, is sent again', async () => {
    const dir = workDir();
    const a = args(dir);
    writeFileSync(a.src, 'abcdef\n');
    chmodSync(a.src, 0o640);
    execFileSync('mkdir', ['-p', join(dir, 'out')]);
    writeFileSync(a.dest, 'abcxyz\n');
    chmodSync(a.dest, 0o640);
    const ctx = hosts.context('h1');
    const first = await checkThenApply(transferModule, ctx, a);
    expect(first.checked.status).toBe('change');
    expect(first.applied?.ok).toBe(true);
    expect(readFileSync(a.dest, 'utf8')).toBe('abcdef\n');
    expect((await transferModule.check(ctx, a)).status).toBe('ok');
    chmodSync(a.dest, 0o600);
    const again = await checkThenApply(transferModule, ctx, a);
    expect(again.checked.status).toBe('change');
    expect(again.applied?.ok).toBe(true);
    expect(mode(a.dest)).toBe('640');
    expect((await transferModule.check(ctx, a)).status).toBe('ok');
  });
});
