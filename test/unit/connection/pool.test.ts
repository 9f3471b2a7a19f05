import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/connection/connection.js';
import { ConnectionPool } from '../../../src/connection/pool.js';
import { HostError } from '../../../src/diagnostics/diagnostic.js';
import type { Host } from '../../../src/inventory/types.js';

const host = (name: string): Host => ({ name, address: name, port: 22, user: 'root', become: false, connection: 'ssh', groups: [], vars: {} });

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

  it('prefetch reports nothing; openAll reuses its attempts and reports their failures once', async () => {
    const calls: string[] = [];
    const pool = new ConnectionPool({
      connect: async (h) => {
        calls.push(h.name);
        if (h.name === 'down') throw new HostError('down', 'connect', 'refused');
        return fake(h.name, []);
      },
    });
    pool.prefetch([host('up'), host('down')]);
    // A failure no one has asked about yet is no unhandled rejection.
    await new Promise((r) => setTimeout(r, 10));
    const failures = await pool.openAll([host('up'), host('down')]);
    expect(failures.map((f) => f.host)).toEqual(['down']);
    expect(calls).toEqual(['up', 'down']);
    // Reported once; asked again, the host is tried again.
    await expect(pool.get('down')).rejects.toBeInstanceOf(HostError);
    expect(calls).toEqual(['up', 'down', 'down']);
    await pool.closeAll();
  });

  it('closeAll gives up the connections still being opened', async () => {
    let signal: AbortSignal | undefined;
    const pool = new ConnectionPool({
      connect: (h, s) =>
        new Promise<Connection>((_resolve, reject) => {
          signal = s;
          s.addEventListener('abort', () => reject(new HostError(h.name, 'connect', 'given up')));
        }),
    });
    pool.prefetch([host('slow')]);
    await new Promise((r) => setTimeout(r, 5));
    await pool.closeAll();
    expect(signal?.aborted).toBe(true);
  });
});
