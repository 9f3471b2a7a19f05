import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { PgidSplitter } from '../../../src/connection/pgid.js';
import { Semaphore } from '../../../src/connection/semaphore.js';

async function split(chunks: string[]): Promise<[number | undefined, string]> {
  const splitter = new PgidSplitter();
  Readable.from(chunks.map((c) => Buffer.from(c))).pipe(splitter);
  return [await splitter.pgid, await text(splitter)];
}

describe('PgidSplitter', () => {
  it('strips the marker line, even split across chunks', async () => {
    expect(await split(['__RUNBOOK_PG', 'ID__ 4242\nhel', 'lo'])).toEqual([4242, 'hello']);
  });
  it('passes output through untouched when the marker is missing', async () => {
    expect(await split(['no marker\nhere'])).toEqual([undefined, 'no marker\nhere']);
    expect(await split([])).toEqual([undefined, '']);
  });
  it('treats "-" (no setsid) as unknown', async () => {
    expect(await split(['__RUNBOOK_PGID__ -\nx'])).toEqual([undefined, 'x']);
  });
});

describe('Semaphore', () => {
  it('caps holders and serves waiters in order', async () => {
    const s = new Semaphore(2);
    const r1 = await s.acquire();
    const r2 = await s.acquire();
    const order: number[] = [];
    const w3 = s.acquire().then((r) => (order.push(3), r));
    const w4 = s.acquire().then((r) => (order.push(4), r));
    expect(s.inUse).toBe(2);
    r1();
    r1(); // twice is harmless
    (await w3)();
    r2();
    (await w4)();
    expect(order).toEqual([3, 4]);
    expect(s.inUse).toBe(0);
  });
});
