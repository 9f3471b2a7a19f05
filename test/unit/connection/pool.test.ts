import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/connection/connection.js';
import { ConnectionPool } from '../../../src/connection/pool.js';
import { HostError } from '../../../src/diagnostics/diagnostic.js';
import type { Host } from '../../../src/inventory/types.js';

const host = (name: string): Host => ({ name, address: name, port: 22, user: 'root', connection: 'ssh', groups: [], vars: {} });

function fake(name: string, closed: string[]): Connection {
  return {
    host: name,
    exec: () => Promise.reject(new Error('unused')),
    stream: () => Promise.reject(new Error('unused')),
    close: () => {
      closed.push(name);
      return Promise.resolve();
    },
  };
}

describe('ConnectionPool', () => {
  it('opens all hosts, reports failures in inventory order, and reuses connections', async () => {
    const calls: string[] = [];
    const closed: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const pool = new ConnectionPool({
      concurrency: 2,
      connect: async (h) => {
        calls.push(h.name);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, h.name === 'a' ? 30 : 5));
        inFlight--;
        if (h.name === 'b') throw new HostError('b', 'hostkey', 'changed');
        if (h.name === 'a') throw new Error('ECONNREFUSED');
        return fake(h.name, closed);
      },
    });
    const failures = await pool.openAll(['a', 'b', 'c', 'd'].map(host));
    expect(failures.map((f) => [f.host, f.stage])).toEqual([
      ['a', 'connect'],
      ['b', 'hostkey'],
    ]);
    expect(maxInFlight).toBe(2);
    expect((await pool.get('c')).host).toBe('c');
    expect(calls.filter((c) => c === 'c')).toHaveLength(1);
    await expect(pool.get('zzz')).rejects.toBeInstanceOf(HostError);
    await pool.closeAll();
    expect(closed.sort()).toEqual(['c', 'd']);
  });

  it('connects lazily once even when asked concurrently', async () => {
    let count = 0;
    const pool = new ConnectionPool({ connect: async (h) => (count++, fake(h.name, [])) });
    pool.add([host('x')]);
    const [a, b] = await Promise.all([pool.get('x'), pool.get('x')]);
    expect(a).toBe(b);
    expect(count).toBe(1);
  });
});
