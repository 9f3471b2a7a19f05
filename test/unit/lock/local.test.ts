import { mkdtemp, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLocalLock, localLockPath } from '../../../src/lock/local.js';
import { currentOwner, describeTakeover, isStale, STALE_AFTER_MS } from '../../../src/lock/owner.js';

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
    const taken = await acquireLocalLock(dir, '/inv/prod.yaml', currentOwner('run-new', 'x'));
    expect(taken).toMatchObject({ ok: true, replaced: { runId: 'run-dead', pid: dead.pid } });
  });

  it('says that it replaced no one when the lock was free', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const taken = await acquireLocalLock(dir, '/inv/prod.yaml', currentOwner('run-1', 'x'));
    expect(taken.ok && 'replaced' in taken).toBe(false);
  });
});

describe('describeTakeover', () => {
  it('names the run, its owner, its age and why it was stale', () => {
    const now = Date.parse('2026-12-02T06:10:00Z');
    const owner = { runId: 'r-dead', runbook: 'recover-nova', operator: 'ops', controlHost: 'cn1', pid: 4242, since: now - 185_000 };
    expect(describeTakeover(owner, now)).toBe(
      'took over the stale lock of run r-dead (recover-nova) by ops on cn1, pid 4242, since 2026-12-02T06:06:55.000Z, 3m old: its process is gone',
    );
    expect(describeTakeover({ ...owner, since: now - STALE_AFTER_MS - 1 }, now)).toMatch(/24h old: it is over a day old$/);
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
