import { mkdtemp, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLocalLock, localLockPath } from '../../../src/lock/local.js';
import { currentOwner, isStale, STALE_AFTER_MS } from '../../../src/lock/owner.js';

describe('local lock', () => {
  it('refuses a second run on the same inventory while the first holds the lock, and frees it on release', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const first = await acquireLocalLock(dir, '/inv/prod.yaml', currentOwner('run-1', 'backup-db'));
    expect(first.ok).toBe(true);
    const second = await acquireLocalLock(dir, '/inv/prod.yaml', currentOwner('run-2', 'backup-db'));
    expect(second).toMatchObject({ ok: false });
    expect(!second.ok && second.message).toContain('run-1');
    const other = await acquireLocalLock(dir, '/inv/other.yaml', currentOwner('run-3', 'backup-db'));
    expect(other.ok).toBe(true);
    if (first.ok) await first.release();
    expect((await acquireLocalLock(dir, '/inv/prod.yaml', currentOwner('run-4', 'x'))).ok).toBe(true);
  });

  it('replaces a lock whose process is gone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const dead = { ...currentOwner('run-dead', 'x'), pid: 2 ** 22 + 12345 };
    await acquireLocalLock(dir, '/inv/prod.yaml', currentOwner('seed', 'x'));
    await writeFile(localLockPath(dir, '/inv/prod.yaml'), JSON.stringify(dead));
    expect((await acquireLocalLock(dir, '/inv/prod.yaml', currentOwner('run-new', 'x'))).ok).toBe(true);
  });
});

describe('isStale', () => {
  it('is stale after a day, whoever holds it', () => {
    const owner = { ...currentOwner('r', 'x'), controlHost: 'elsewhere', since: Date.now() - STALE_AFTER_MS - 1 };
    expect(isStale(owner)).toBe(true);
  });

  it('is live for another control node within the day (we cannot see its processes)', () => {
    expect(isStale({ ...currentOwner('r', 'x'), controlHost: `${hostname()}-other`, pid: 999999 })).toBe(false);
  });

  it('is live while our own process runs', () => {
    expect(isStale(currentOwner('r', 'x'))).toBe(false);
  });
});
