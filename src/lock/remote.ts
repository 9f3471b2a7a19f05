import type { Connection } from '../connection/connection.js';
import { sh } from '../command/command.js';
import type { LockResult } from './local.js';
import { describeOwner, isStale, type LockOwner, parseOwner } from './owner.js';

/** The lock on the first target host: a directory, because mkdir is atomic everywhere. */
export const REMOTE_LOCK_DIR = '/var/tmp/runbook.lock';
const OWNER_FILE = `${REMOTE_LOCK_DIR}/owner`;

/**
 * Takes the lock on a target host, so that two control nodes driving the same inventory
 * cannot run at once. A stale holder (see isStale) is replaced.
 */
export async function acquireRemoteLock(connection: Connection, owner: LockOwner): Promise<LockResult> {
  const take = sh`mkdir ${REMOTE_LOCK_DIR} 2>/dev/null && printf '%s' ${JSON.stringify(owner)} > ${OWNER_FILE}`.text;
  let why = '';
  let replaced: LockOwner | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const taken = await connection.exec(take);
    // mkdir's own complaint is silenced; what is left is the reason it could not even try (sudo).
    why = taken.stderr.trim();
    if (taken.exitCode === 0) return { ok: true, release: () => releaseRemote(connection, owner.runId), ...(replaced ? { replaced } : {}) };
    const read = await connection.exec(sh`cat ${OWNER_FILE} 2>/dev/null`.text);
    const holder = parseOwner(read.stdout);
    if (holder && !isStale(holder)) {
      return { ok: false, message: `${connection.host} is locked by ${describeOwner(holder)} (${REMOTE_LOCK_DIR})` };
    }
    if (!holder && read.exitCode === 0) {
      return { ok: false, message: `${connection.host} holds a lock that cannot be read: remove ${REMOTE_LOCK_DIR} there if no run is going on` };
    }
    replaced = holder;
    await connection.exec(sh`rm -rf -- ${REMOTE_LOCK_DIR}`.text);
  }
  return { ok: false, message: `could not take the lock ${REMOTE_LOCK_DIR} on ${connection.host}${why ? `: ${why}` : ''}` };
}

async function releaseRemote(connection: Connection, runId: string): Promise<void> {
  // Only our own lock: grep for our run id so a lock someone else broke and retook survives.
  await connection.exec(sh`grep -qF ${`"runId":"${runId}"`} ${OWNER_FILE} 2>/dev/null && rm -rf -- ${REMOTE_LOCK_DIR}`.text);
}
