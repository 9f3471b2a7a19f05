import { describe, expect, it } from 'vitest';
import { diffSteps } from '../../../src/diff/steps.js';
import type { Step } from '../../../src/runbook/types.js';

function step(id: string, run = `echo ${id}`): Step {
  return {
    id,
    name: id,
    hosts: 'controller',
    runOnce: false,
    become: false,
    env: {},
    retries: { attempts: 1, delayMs: 0 },
    onFailure: 'rollback',
    action: { module: 'run', args: { run, check: 'false', rollback: 'true' } },
    position: { file: 'x.yaml', line: 1, column: 1 },
  };
}

describe('diffSteps', () => {
  it('does not call steps moved when another was inserted or removed before them', () => {
    const diffs = diffSteps([step('a'), step('b'), step('c')], [step('x'), step('a'), step('c')]);
    expect(diffs.map((d) => [d.id, d.status, d.moved])).toEqual([
      ['x', 'added', false],
      ['b', 'removed', false],
    ]);
  });

  it('reports a swap as one step moved, with its changed fields', () => {
    const diffs = diffSteps([step('a'), step('b'), step('c')], [step('a'), step('c'), step('b', 'echo B')]);
    expect(diffs).toEqual([
      { id: 'b', status: 'changed', oldPosition: 2, newPosition: 3, moved: true, changes: [{ field: 'command', old: 'echo b', new: 'echo B' }] },
    ]);
  });

  it('leaves unchanged steps out', () => {
    expect(diffSteps([step('a')], [step('a')])).toEqual([]);
  });
});
