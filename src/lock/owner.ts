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

/** A stale lock that was broken, for the run's notice: whose it was, how old, and why it was stale. */
export function describeTakeover(owner: LockOwner, now = Date.now()): string {
  const age = now - owner.since;
  const why = age > STALE_AFTER_MS ? 'it is over a day old' : 'its process is gone';
  return `took over the stale lock of ${describeOwner(owner)}, ${formatAge(age)} old: ${why}`;
}

function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
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
