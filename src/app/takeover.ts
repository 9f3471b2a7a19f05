import { changesLeftInPlace, readRun } from '../journal/reader.js';
import { describeTakeover, type LockOwner } from '../lock/owner.js';

/**
 * A stale lock broken: whose it was and, when its run's journal is here and has no end, what that
 * run changed and never undid (a crash rolls nothing back) and how to resume it.
 */
export async function takeoverNotice(owner: LockOwner, stateDir: string, inventoryFile: string): Promise<string> {
  const events = await readRun(stateDir, owner.runId).catch(() => []);
  if (events.length === 0 || events.some((e) => e.type === 'run-finished')) return describeTakeover(owner);
  const left = changesLeftInPlace(events);
  const changes = left.length > 0 ? ` and left in place what it changed (${left.join(', ')})` : '';
  return `${describeTakeover(owner)}; run ${owner.runId} did not finish${changes}: \`runbook exec --resume ${owner.runId} --inventory ${inventoryFile}\` continues it`;
}
