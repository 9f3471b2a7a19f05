import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionPool } from '../../../src/connection/pool.js';
import type { Host } from '../../../src/inventory/types.js';
import { type SshdFixture, startSshds } from '../../support/sshd.js';

let sshds: SshdFixture[] = [];

beforeAll(async () => {
  sshds = await startSshds(3);
});

afterAll(async () => {
  await Promise.all(sshds.map((s) => s.stop()));
});

describe('ConnectionPool over three real sshds', () => {
  it('opens every host up front, reports the unreachable one, and runs on the others', async () => {
    const down: Host = { ...sshds[0]!.host, name: 'down', port: 1 };
    const local: Host = { name: 'runner', address: 'localhost', port: 22, user: 'root', become: false, connection: 'local', groups: [], vars: {} };
    const pool = new ConnectionPool();
    try {
      const failures = await pool.openAll([...sshds.map((s) => s.host), down, local]);
      expect(failures.map((f) => [f.host, f.stage])).toEqual([['down', 'connect']]);
      const outputs = await Promise.all(['h1', 'h2', 'h3', 'runner'].map(async (h) => (await (await pool.get(h)).exec('echo $((6*7))')).stdout));
      expect(outputs).toEqual(['42\n', '42\n', '42\n', '42\n']);
    } finally {
      await pool.closeAll();
    }
  });
});
