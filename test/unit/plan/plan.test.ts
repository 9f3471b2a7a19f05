import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/plan/plan.js';
import { parseRunbook } from '../../../src/runbook/load.js';
import { join } from 'node:path';
import { groupsInventory } from '../../support/inventories.js';

const { inventory, dir } = groupsInventory({ controller: ['ctl1'], compute: ['cmp1', 'cmp2'], storage: ['stor1'] });
const file = join(dir, 'p.yaml');

function runbook(steps: string) {
  const result = parseRunbook(file, `apiVersion: runbook/v1\nname: p\nversion: 1.0.0\nhosts: controller\nsteps:\n${steps}`);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const hostsOf = (steps: string, options = {}) => {
  const planned = buildPlan(runbook(steps), inventory, options);
  if (!planned.ok) throw new Error(JSON.stringify(planned.error));
  return planned.value.steps.map((s) => s.hosts.map((h) => h.name));
};

describe('buildPlan', () => {
  it('resolves each step’s hosts: its pattern, the runbook default, exclusions, run_once', () => {
    const steps = [
      '  - { id: a, run: "true", irreversible: x }',
      '  - { id: b, hosts: "compute,storage", run: "true", irreversible: x }',
      '  - { id: c, hosts: "all,!cmp2", run: "true", irreversible: x }',
      '  - { id: d, hosts: compute, run_once: true, run: "true", irreversible: x }',
    ].join('\n');
    expect(hostsOf(steps)).toEqual([['ctl1'], ['cmp1', 'cmp2', 'stor1'], ['ctl1', 'cmp1', 'stor1'], ['cmp1']]);
  });

  it('narrows hosts with --limit and skips steps left without any', () => {
    const steps = ['  - { id: a, run: "true", irreversible: x }', '  - { id: b, hosts: compute, run: "true", irreversible: x }'].join('\n');
    const planned = buildPlan(runbook(steps), inventory, { limit: 'cmp2' });
    expect(planned.ok && planned.value.steps.map((s) => [s.hosts.map((h) => h.name), s.skipReason])).toEqual([
      [[], '--limit excludes every host of this step'],
      [['cmp2'], undefined],
    ]);
    expect(planned.ok && planned.value.hosts.map((h) => h.name)).toEqual(['cmp2']);
  });

  it('reports a host pattern that matches no host at its line and column', () => {
    const planned = buildPlan(runbook('  - id: a\n    hosts: network\n    run: "true"\n    irreversible: x'), inventory);
    expect(planned.ok).toBe(false);
    expect(!planned.ok && planned.error[0]).toMatchObject({ file, line: 7, column: 12, path: 'steps[0].hosts' });
    expect(!planned.ok && planned.error[0]!.message).toContain("'network'");
  });

  it('reports an unknown --start-at step and an unknown param together', () => {
    const planned = buildPlan(runbook('  - { id: a, run: "true", irreversible: x }'), inventory, { startAt: 'nope', params: { assignments: ['x=1'] } });
    expect(!planned.ok && planned.error.map((d) => d.message)).toEqual([
      "unknown param 'x' (this runbook takes: none)",
      "no step 'nope' in p (steps: a)",
    ]);
  });
});
