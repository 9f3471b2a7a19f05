import type { Step } from '../runbook/types.js';
import { stepFields } from './fields.js';
import { recordChanges } from './text.js';
import type { StepDiff } from './types.js';

/** Ids of the longest common subsequence of two id lists: the steps that kept their relative order. */
function inOrder(a: readonly string[], b: readonly string[]): Set<string> {
  const table = a.map(() => b.map(() => 0));
  const at = (i: number, j: number): number => (i < a.length && j < b.length ? (table[i]?.[j] ?? 0) : 0);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const kept = new Set<string>();
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      kept.add(a[i]!);
      i++;
      j++;
    } else if (at(i + 1, j) >= at(i, j + 1)) i++;
    else j++;
  }
  return kept;
}

/** Steps added, removed, moved or changed, keyed by id; unchanged steps are left out. */
export function diffSteps(old: readonly Step[], next: readonly Step[]): StepDiff[] {
  const oldIds = old.map((s) => s.id);
  const newIds = next.map((s) => s.id);
  const common = (ids: string[], other: string[]): string[] => ids.filter((id) => other.includes(id));
  const kept = inOrder(common(oldIds, newIds), common(newIds, oldIds));
  const diffs: StepDiff[] = [];
  next.forEach((step, i) => {
    const j = oldIds.indexOf(step.id);
    const before = old[j];
    if (before === undefined) {
      diffs.push({ id: step.id, status: 'added', newPosition: i + 1, moved: false, changes: recordChanges({}, stepFields(step)) });
      return;
    }
    const changes = recordChanges(stepFields(before), stepFields(step));
    const moved = !kept.has(step.id);
    if (changes.length > 0 || moved) diffs.push({ id: step.id, status: 'changed', oldPosition: j + 1, newPosition: i + 1, moved, changes });
  });
  old.forEach((step, j) => {
    if (!newIds.includes(step.id)) diffs.push({ id: step.id, status: 'removed', oldPosition: j + 1, moved: false, changes: [] });
  });
  return diffs;
}
