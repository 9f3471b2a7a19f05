import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describeOwner, isStale, type LockOwner, parseOwner } from './owner.js';

/** A lock taken (with the stale holder it replaced, if any) or refused with the reason. */
export type LockResult = { ok: true; release: () => Promise<void>; replaced?: LockOwner } | { ok: false; message: string };

/** The lock file of an inventory: one per inventory file, under the state folder. */
export function localLockPath(stateDir: string, inventoryFile: string): string {
  const digest = createHash('sha256').update(inventoryFile).digest('hex').slice(0, 12);
  return join(stateDir, 'locks', `${basename(inventoryFile).replace(/\.ya?ml$/, '')}-${digest}.lock`);
}

/**
 * Takes the control node's lock for an inventory (O_EXCL create). A stale lock (its process
 * is gone, or it is a day old) is replaced; a live one is refused with who holds it.
 */
export async function acquireLocalLock(stateDir: string, inventoryFile: string, owner: LockOwner): Promise<LockResult> {
  const path = localLockPath(stateDir, inventoryFile);
  await mkdir(join(stateDir, 'locks'), { recursive: true });
  let replaced: LockOwner | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
      return { ok: true, release: () => releaseIfOurs(path, owner.runId), ...(replaced ? { replaced } : {}) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = parseOwner(await readFile(path, 'utf8').catch(() => ''));
    if (holder && !isStale(holder)) {
      return { ok: false, message: `inventory ${inventoryFile} is locked by ${describeOwner(holder)} (${path})` };
    }
    if (!holder) return { ok: false, message: `inventory ${inventoryFile} is locked and the lock cannot be read: remove ${path} if no run is going on` };
    replaced = holder;
    await rm(path, { force: true });
  }
  return { ok: false, message: `could not take the lock ${path}` };
}

async function releaseIfOurs(path: string, runId: string): Promise<void> {
  const holder = parseOwner(await readFile(path, 'utf8').catch(() => ''));
  if (holder?.runId === runId) await rm(path, { force: true });
}
