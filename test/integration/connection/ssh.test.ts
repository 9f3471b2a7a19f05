import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/connection/connection.js';
import { hashHostName } from '../../../src/connection/known-hosts.js';
import { connectSsh } from '../../../src/connection/ssh.js';
import { HostError } from '../../../src/diagnostics/diagnostic.js';
import { type SshdFixture, startSshd } from '../../support/sshd.js';

let sshd: SshdFixture;
let other: SshdFixture;
let conn: Connection;

const strict = (knownHostsFile: string) => ({ knownHostsFile, hostKeyPolicy: 'strict' as const, agent: '' });
const marker = () => `rbmark${randomBytes(5).toString('hex')}`;

/** Processes on this machine (the "remote" host) whose command line mentions `mark`. */
function survivors(mark: string): string {
  try {
    return execFileSync('pgrep', ['-af', mark], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

async function refusal(promise: Promise<unknown>): Promise<HostError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  return error as HostError;
}

beforeAll(async () => {
  [sshd, other] = await Promise.all([startSshd({ name: 'ctl1' }), startSshd({ name: 'other' })]);
  conn = await connectSsh(sshd.host, strict(sshd.knownHostsFile));
});

afterAll(async () => {
  await conn?.close();
  await Promise.all([sshd?.stop(), other?.stop()]);
});

describe('exec over ssh', () => {
  it('returns stdout, stderr and exit codes exactly; a non-zero exit is data', async () => {
    const r = await conn.exec("printf '  two\\n\\nlines  '; printf ' err\\n' >&2; exit 7");
    expect(r).toMatchObject({ exitCode: 7, stdout: '  two\n\nlines  ', stderr: ' err\n', timedOut: false, aborted: false });
    expect((await conn.exec('true')).stdout).toBe('');
  });

  it('passes binary-safe stdin and keeps large output whole', async () => {
    expect((await conn.exec('cat', { stdin: 'abc\n' })).stdout).toBe('abc\n');
    const big = await conn.exec('head -c 3000000 /dev/zero | tr "\\0" x');
    expect(big.stdout.length).toBe(3_000_000);
  });

  it('puts env and cwd into the command, a hostile value staying one argument', async () => {
    const canary = `/tmp/${marker()}`;
    const r = await conn.exec('printf "%s|" "$V" "$(pwd)"; set -- $V; echo $#', { env: { V: `x; touch ${canary}` }, cwd: '/tmp' });
    expect(r.stdout).toBe(`x; touch ${canary}|/tmp|3\n`);
    expect(existsSync(canary)).toBe(false);
  });

  it('runs 20 commands at once over one connection, at most 8 at a time (below MaxSessions)', async () => {
    // Each command marks itself running in a folder on the host and counts its siblings there:
    // the largest count is how many ran at the same moment.
    const dir = `/tmp/${marker()}`;
    await conn.exec(`mkdir ${dir}`);
    const command = (i: number) => `touch ${dir}/${i}; sleep 0.3; ls ${dir} | wc -l; rm ${dir}/${i}; echo ${i}`;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => conn.exec(command(i))));
    await conn.exec(`rmdir ${dir}`);
    expect(results.map((r) => r.stdout.split('\n')[1])).toEqual(Array.from({ length: 20 }, (_, i) => `${i}`));
    const mostAtOnce = Math.max(...results.map((r) => Number(r.stdout.split('\n')[0])));
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(mostAtOnce).toBeLessThanOrEqual(8);
  });

  it('kills the remote process group, grandchildren included, on timeout', async () => {
    const mark = marker();
    const r = await conn.exec(`sh -c 'sleep 300; : ${mark}' & sh -c 'sleep 301; : ${mark}'; echo never`, { timeoutMs: 500 });
    expect(r).toMatchObject({ exitCode: null, timedOut: true, aborted: false, stdout: '' });
    const check = await conn.exec(`pgrep -af ${mark} | grep -v pgrep || true`);
    expect(check.stdout).toBe('');
    expect(survivors(mark)).toBe('');
  });

  it('kills the remote process group on abort', async () => {
    const mark = marker();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const r = await conn.exec(`sh -c 'sleep 300; : ${mark}' & sleep 302; : ${mark}`, { signal: controller.signal });
    expect(r).toMatchObject({ exitCode: null, timedOut: false, aborted: true });
    expect(survivors(mark)).toBe('');
  });

  it('streams with backpressure and reports the exit in done', async () => {
    const s = await conn.stream('wc -c; echo warn >&2; exit 4');
    const out: Buffer[] = [];
    s.stdout.on('data', (b: Buffer) => out.push(b));
    s.stdin.end(Buffer.alloc(1_000_000, 1));
    const done = await s.done;
    expect(Buffer.concat(out).toString().trim()).toBe('1000000');
    expect(done).toMatchObject({ exitCode: 4, stderr: 'warn\n' });
  });
});

describe('host keys', () => {
  it('refuses an unknown host key before any command, naming type, fingerprint and the fix', async () => {
    const empty = join(sshd.dir, 'empty_known_hosts');
    await writeFile(empty, '');
    const error = await refusal(connectSsh(sshd.host, strict(empty)));
    expect(error.stage).toBe('hostkey');
    expect(error.message).toContain('ctl1');
    expect(error.message).toContain('ssh-ed25519');
    expect(error.message).toMatch(/SHA256:[A-Za-z0-9+/]{43}/);
    expect(error.message).toContain(`ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${empty}`);
    const fp = execFileSync('ssh-keygen', ['-lf', join(sshd.dir, 'host_ed25519.pub')], { encoding: 'utf8' }).split(' ')[1];
    expect(error.message).toContain(fp);
  });

  it('refuses a changed host key (another key of the same type for [127.0.0.1]:port), even under accept-new', async () => {
    const forged = join(sshd.dir, 'forged_known_hosts');
    await writeFile(forged, `[127.0.0.1]:${sshd.port} ${other.hostPublicKey}\n`);
    for (const hostKeyPolicy of ['strict', 'accept-new'] as const) {
      const error = await refusal(connectSsh(sshd.host, { knownHostsFile: forged, hostKeyPolicy, agent: '' }));
      expect(error.stage).toBe('hostkey');
      expect(error.message).toContain('HOST KEY CHANGED');
    }
    expect(await readFile(forged, 'utf8')).toBe(`[127.0.0.1]:${sshd.port} ${other.hostPublicKey}\n`);
  });

  it('accept-new records an unknown key and then trusts it', async () => {
    const file = join(sshd.dir, 'new_known_hosts');
    await rm(file, { force: true });
    const c = await connectSsh(sshd.host, { knownHostsFile: file, hostKeyPolicy: 'accept-new', agent: '' });
    expect((await c.exec('echo ok')).stdout).toBe('ok\n');
    await c.close();
    expect(await readFile(file, 'utf8')).toBe(`[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
    const again = await connectSsh(sshd.host, strict(file));
    await again.close();
  });

  it('understands hashed entries (as ssh-keygen -H writes them)', async () => {
    const file = join(sshd.dir, 'hashed_known_hosts');
    await writeFile(file, `${hashHostName(`[127.0.0.1]:${sshd.port}`)} ${sshd.hostPublicKey}\n`);
    const c = await connectSsh(sshd.host, strict(file));
    await c.close();
    // And ssh-keygen's own hashing agrees with ours.
    await writeFile(file, `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    expect(await readFile(file, 'utf8')).toMatch(/^\|1\|/);
    const d = await connectSsh(sshd.host, strict(file));
    await d.close();
  });
});

describe('connect and auth failures', () => {
  it('connection refused is stage connect', async () => {
    const closedPort = { ...sshd.host, port: 1 };
    const error = await refusal(connectSsh(closedPort, strict(sshd.knownHostsFile)));
    expect(error.stage).toBe('connect');
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('a key the server does not accept is stage auth', async () => {
    const error = await refusal(connectSsh({ ...sshd.host, privateKeyFile: join(other.dir, 'client_ed25519') }, strict(sshd.knownHostsFile)));
    expect(error.stage).toBe('auth');
  });

  it('gives up an attempt on abort: a server that accepts and never speaks does not hold the run', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const stop = new AbortController();
      const attempt = connectSsh({ ...sshd.host, port }, { ...strict(sshd.knownHostsFile), connectTimeoutMs: 600_000, signal: stop.signal });
      setTimeout(() => stop.abort(), 100);
      const error = await refusal(attempt);
      expect(error.stage).toBe('connect');
      expect(error.message).toMatch(/given up/);
    } finally {
      silent.close();
    }
  });

  it('a missing key file is stage auth', async () => {
    const error = await refusal(connectSsh({ ...sshd.host, privateKeyFile: '/nonexistent/key' }, strict(sshd.knownHostsFile)));
    expect(error.stage).toBe('auth');
    expect(error.message).toContain('/nonexistent/key');
  });
});
