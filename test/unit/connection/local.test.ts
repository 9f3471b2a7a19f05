import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connectLocal } from '../../../src/connection/local.js';
import type { Host } from '../../../src/inventory/types.js';

const host: Host = { name: 'localhost', address: '127.0.0.1', port: 22, user: 'x', become: false, connection: 'local', groups: [], vars: {} };

/** Processes whose command line contains `marker` (pgrep -f exits 1 when none). */
function survivors(marker: string): string {
  try {
    return execFileSync('pgrep', ['-af', marker], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

describe('connectLocal', () => {
  it('returns stdout, stderr and the exit code exactly', async () => {
    const c = await connectLocal(host);
    const r = await c.exec("printf ' a\\n\\n'; printf 'e ' >&2; exit 3");
    expect(r).toMatchObject({ exitCode: 3, stdout: ' a\n\n', stderr: 'e ', timedOut: false, aborted: false });
  });

  it('feeds stdin', async () => {
    const c = await connectLocal(host);
    expect((await c.exec('wc -c', { stdin: 'hello' })).stdout.trim()).toBe('5');
    // Without stdin, a command reading it sees EOF instead of hanging.
    expect((await c.exec('cat')).exitCode).toBe(0);
  });

  it('applies env and cwd, keeping a hostile value one argument', async () => {
    const c = await connectLocal(host);
    const r = await c.exec('printf "%s|" "$V" "$(pwd)"; printf "%s\\n" $#', { env: { V: 'x; touch /tmp/pwned' }, cwd: '/tmp' });
    expect(r.stdout).toBe('x; touch /tmp/pwned|/tmp|0\n');
  });

  it('kills the whole process group on timeout', async () => {
    const c = await connectLocal(host);
    const marker = `rb${randomBytes(4).toString('hex')}`;
    const r = await c.exec(`sh -c 'sleep 300; : ${marker}' & sh -c 'sleep 301; : ${marker}'`, { timeoutMs: 300 });
    expect(r).toMatchObject({ exitCode: null, timedOut: true, aborted: false });
    expect(survivors(marker)).toBe('');
  });

  it('kills the whole process group on abort', async () => {
    const c = await connectLocal(host);
    const marker = `rb${randomBytes(4).toString('hex')}`;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const r = await c.exec(`sh -c 'sleep 300; : ${marker}' & sh -c 'sleep 301; : ${marker}'`, { signal: controller.signal });
    expect(r).toMatchObject({ exitCode: null, timedOut: false, aborted: true });
    expect(survivors(marker)).toBe('');
  });

  it('streams stdout with the exit code in done', async () => {
    const c = await connectLocal(host);
    const s = await c.stream('cat; echo oops >&2; exit 2');
    const chunks: Buffer[] = [];
    s.stdout.on('data', (b: Buffer) => chunks.push(b));
    s.stdin.end('payload');
    const done = await s.done;
    expect(Buffer.concat(chunks).toString()).toBe('payload');
    expect(done).toMatchObject({ exitCode: 2, stderr: 'oops\n' });
  });
});
