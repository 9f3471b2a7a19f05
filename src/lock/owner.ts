import { hostname, userInfo } from 'node:os';

/** Who holds a lock: enough to tell a live run from one whose process is gone. */
export interface LockOwner {
  runId: string;
  runbook: string;
  operator: string;
  controlHost: string;
  pid: number;
  /** Epoch milliseconds. */
  since: number;
}

/** A lock older than this is stale whoever holds it: no run of ours takes a day. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export function currentOwner(runId: string, runbook: string, now = Date.now()): LockOwner {
  return { runId, runbook, operator: operatorName(), controlHost: hostname(), pid: process.pid, since: now };
}

export function operatorName(): string {
  try {
    return process.env.SUDO_USER ?? userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * Stale-lock rule: the holder's process is gone (checked only when it ran on this control
 * node, where we can see it) or the lock is older than {@link STALE_AFTER_MS}.
 */
export function isStale(owner: LockOwner, now = Date.now()): boolean {
  if (now - owner.since > STALE_AFTER_MS) return true;
  if (owner.controlHost !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function describeOwner(owner: LockOwner): string {
  return `run ${owner.runId} (${owner.runbook}) by ${owner.operator} on ${owner.controlHost}, pid ${owner.pid}, since ${new Date(owner.since).toISOString()}`;
}

export function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.runId === 'string' && typeof value.pid === 'number' && typeof value.since === 'number') return value as LockOwner;
  } catch {
    // A torn or foreign file: treated as unreadable, i.e. not ours to break.
  }
  return undefined;
}
