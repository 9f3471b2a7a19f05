import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { builtinModules } from '../../../src/modules/registry.js';
import { likelyHosts, likelyReachedHosts } from '../../../src/plan/likely-hosts.js';
import { buildPlan } from '../../../src/plan/plan.js';
import { parseRunbook } from '../../../src/runbook/load.js';
import { groupsInventory } from '../../support/inventories.js';

const { inventory, dir } = groupsInventory({ controller: ['ctl1'], compute: ['cmp1', 'cmp2', 'cmp3'], storage: ['stor1'] });
const file = join(dir, 'r.yaml');

const text = (hosts: string | undefined, steps: string) =>
  `apiVersion: runbook/v1\nname: r\nversion: 1.0.0\n${hosts ? `hosts: ${hosts}\n` : ''}steps:\n${steps}`;

/** The plan's hosts, which likelyHosts must predict from the raw YAML. */
function planned(source: string, options: { limit?: string; startAt?: string }): string[] {
  const loaded = parseRunbook(file, source);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const plan = buildPlan(loaded.value, inventory, options);
  if (!plan.ok) throw new Error(JSON.stringify(plan.error));
  return plan.value.hosts.map((h) => h.name);
}

const likely = (source: string, options: { limit?: string; startAt?: string }) => likelyHosts(parse(source), inventory, options).map((h) => h.name);

describe('likelyHosts', () => {
  it.each([
    ['the runbook default', text('controller', '  - { id: a, run: "true", irreversible: x }'), {}],
    ['no hosts at all means all', text(undefined, '  - { id: a, run: "true", irreversible: x }'), {}],
    ['step patterns and exclusions', text('controller', '  - { id: a, run: "true", irreversible: x }\n  - { id: b, hosts: "compute,!cmp2", run: "true", irreversible: x }'), {}],
    ['--limit', text('all', '  - { id: a, run: "true", irreversible: x }'), { limit: 'compute,!cmp3' }],
    ['run_once', text('compute', '  - { id: a, run: "true", irreversible: x, run_once: true }'), {}],
    ['--start-at', text('controller', '  - { id: a, hosts: storage, run: "true", irreversible: x }\n  - { id: b, run: "true", irreversible: x }'), { startAt: 'b' }],
  ])('predicts the plan’s hosts: %s', (_name, source, options) => {
    expect(likely(source, options)).toEqual(planned(source, options));
  });

  it('gives no host for what the plan would refuse, so nothing connects before the error', () => {
    expect(likely(text('nosuchgroup', '  - { id: a, run: "true", irreversible: x }'), {})).toEqual([]);
    expect(likely(text('all', '  - { id: a, run: "true", irreversible: x }'), { startAt: 'nope' })).toEqual([]);
    expect(likelyHosts('not a runbook', inventory)).toEqual([]);
    expect(likelyHosts({ steps: 'nope' }, inventory)).toEqual([]);
  });
});

describe('likelyReachedHosts', () => {
  const modules = builtinModules();
  const fields = (module: string) => modules.get(module)?.reaches ?? [];
  const reached = (source: string, startAt?: string) => likelyReachedHosts(parse(source), inventory, fields, startAt).map((h) => h.name);
  const transfer = (to: string) => `  - { id: send, transfer: { src: /a, dest: /b, to: "${to}" } }\n  - { id: last, run: "true", irreversible: x }`;

  it('a host named as written', () => {
    expect(reached(text('controller', transfer('cmp2')))).toEqual(['cmp2']);
  });

  it('the hosts of the groups a template reads, through vars', () => {
    const source = text('controller', transfer('{{vars.storage}}')).replace('steps:', 'vars:\n  storage: "{{groups.storage.[0]}}"\nsteps:');
    expect(reached(source)).toEqual(['stor1']);
  });

  it('nothing for a template that reads no group, or a step before --start-at', () => {
    expect(reached(text('controller', transfer('{{found.stdout}}')))).toEqual([]);
    expect(reached(text('controller', transfer('cmp2')), 'last')).toEqual([]);
  });
});
