import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh } from '../../../src/connection/ssh.js';
import { type SshdFixture, startSshd } from '../../support/sshd.js';

let sshd: SshdFixture;
let agent: ChildProcess | undefined;

beforeAll(async () => {
  sshd = await startSshd({ name: 'hardened', config: ['MaxSessions 2'] });
});

afterAll(async () => {
  agent?.kill();
  await sshd?.stop();
});

describe('ssh against a hardened sshd', () => {
  it('queues commands when the server allows fewer sessions than our channel cap', async () => {
    const conn = await connectSsh(sshd.host, { knownHostsFile: sshd.knownHostsFile, hostKeyPolicy: 'strict', agent: '' });
    try {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => conn.exec(`sleep 0.1; echo ${i}`)));
      expect(results.map((r) => [r.exitCode, r.stdout])).toEqual(Array.from({ length: 10 }, (_, i) => [0, `${i}\n`]));
    } finally {
      await conn.close();
    }
  });

  it('authenticates through ssh-agent when the host names no key file', async () => {
    const socket = join(sshd.dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      try {
        execFileSync('ssh-add', [sshd.clientKeyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const { privateKeyFile: _unused, ...host } = sshd.host;
    // An empty HOME-less fallback: the agent is the only credential that can work here.
    const conn = await connectSsh(host, { knownHostsFile: sshd.knownHostsFile, hostKeyPolicy: 'strict', agent: socket });
    try {
      expect((await conn.exec('echo agent')).stdout).toBe('agent\n');
    } finally {
      await conn.close();
    }
  });
});

describe('timeouts when the server has no session to spare for the kill', () => {
  it('still times out both commands, and the groups die once sessions free up', async () => {
    const conn = await connectSsh(sshd.host, { knownHostsFile: sshd.knownHostsFile, hostKeyPolicy: 'strict', agent: '' });
    const mark = `rbfull${Date.now()}`;
    try {
      const results = await Promise.all([1, 2].map((i) => conn.exec(`sh -c 'sleep 300; : ${mark}' & sleep 30${i}; : ${mark}`, { timeoutMs: 500 })));
      expect(results.map((r) => r.timedOut)).toEqual([true, true]);
      let left = 'unknown';
      for (let i = 0; i < 50 && left !== ''; i++) {
        await new Promise((r) => setTimeout(r, 100));
        left = survivorsOf(mark);
      }
      expect(left).toBe('');
    } finally {
      await conn.close();
    }
  });
});

function survivorsOf(mark: string): string {
  try {
    return execFileSync('pgrep', ['-af', mark], { encoding: 'utf8' });
  } catch {
    return '';
  }
}
