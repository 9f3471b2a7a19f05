import type { Redactor } from '../secrets/redactor.js';
import type { Emit } from './events.js';
import { mapLimit } from './limit.js';
import { toCommandRecord } from './record.js';
import type { CommandRecord, ManualAction } from './results.js';
import { tail } from './results.js';
import type { AppliedChange } from './task.js';

export interface RollbackResult {
  complete: boolean;
  manual: ManualAction[];
  rolledBack: AppliedChange[];
  failed: AppliedChange[];
}

/**
 * Undoes changes in reverse: the last step first; within a step its hosts in parallel (up to
 * `forks`), and on each host its loop items last-first. A change that cannot be undone, or
 * whose rollback fails, becomes a manual action; the walk goes on with the rest.
 */
export async function rollBack(
  changes: readonly AppliedChange[],
  options: { forks: number; emit: Emit; redactor: Redactor; signal: AbortSignal },
): Promise<RollbackResult> {
  const result: RollbackResult = { complete: true, manual: [], rolledBack: [], failed: [] };
  const byStep = groupBy(changes, (c) => c.stepIndex);
  for (const stepIndex of [...byStep.keys()].sort((a, b) => b - a)) {
    const byHost = groupBy(byStep.get(stepIndex) ?? [], (c) => c.host);
    await mapLimit([...byHost.values()], options.forks, async (hostChanges) => {
      for (const change of [...hostChanges].reverse()) await undo(change, options, result);
    });
  }
  return result;
}

async function undo(
  change: AppliedChange,
  options: { emit: Emit; redactor: Redactor; signal: AbortSignal },
  result: RollbackResult,
): Promise<void> {
  const where = { step: change.step, host: change.host, ...(change.itemIndex === undefined ? {} : { itemIndex: change.itemIndex }) };
  const manual = (reason: string, outcome: 'failed' | 'manual', commands: CommandRecord[] = []): void => {
    result.complete = false;
    result.manual.push({ ...where, reason });
    result.failed.push(change);
    options.emit({ type: 'rollback-task', ...where, outcome, message: reason, commands });
  };
  if (change.irreversible !== undefined) {
    // Declared by the author and reviewed with the runbook: reported, not a surprise.
    options.emit({ type: 'rollback-task', ...where, outcome: 'irreversible', message: `not undone (irreversible: ${change.irreversible})`, commands: [] });
    return;
  }
  if (!change.rollback) {
    manual('not undone: the step has no rollback', 'manual');
    return;
  }
  try {
    const outcome = await change.rollback(options.signal);
    const commands = outcome.commands.map((r) => toCommandRecord('rollback', r, options.redactor));
    if (outcome.ok) {
      result.rolledBack.push(change);
      options.emit({ type: 'rollback-task', ...where, outcome: 'rolled-back', commands });
    } else {
      const last = outcome.commands.at(-1);
      const why = outcome.message ?? (last ? `exit code ${last.exitCode}: ${tail(last.stderr, 300).trim()}` : 'failed');
      manual(`rollback failed: ${options.redactor.text(why)}`, 'failed', commands);
    }
  } catch (error) {
    manual(`rollback failed: ${options.redactor.text(error instanceof Error ? error.message : String(error))}`, 'failed');
  }
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
