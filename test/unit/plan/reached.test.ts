import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reachRules } from '../../../src/app/reach-rules.js';
import type { Inventory } from '../../../src/inventory/types.js';
import { builtinModules } from '../../../src/modules/registry.js';
import { buildPlan, type PlanOptions } from '../../../src/plan/plan.js';
import { parseRunbook } from '../../../src/runbook/load.js';
import type { Runbook } from '../../../src/runbook/types.js';
import { groupsInventory } from '../../support/inventories.js';

// The hosts a run can touch: the steps' hosts and those their modules reach (catalog's storage
// host, transfer's destination), rendered before the run, or bounded by the groups a template
// reads when it needs a registered result.
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const { inventory, dir } = groupsInventory({ controller: ['ctl1'], compute: ['cmp1', 'cmp2'], storage: ['stor1', 'stor2'] }, { backup_root: '/var/backups/openstack' });

function load(file: string, text: string): Runbook {
  const result = parseRunbook(file, text);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const inline = (steps: string, vars = ''): Runbook =>
  load(join(dir, 'r.yaml'), `apiVersion: runbook/v1\nname: r\nversion: 1.0.0\nhosts: controller\n${vars}steps:\n${steps}`);

function plan(runbook: Runbook, options: PlanOptions = {}, inv: Inventory = inventory) {
  const run = { id: '20261202-070000-ab12', started: '2026-12-02T07:00:00Z', runbook: runbook.name, version: runbook.version, inventory: inv.file, check: false };
  return buildPlan(runbook, inv, { ...options, reach: reachRules(builtinModules(), runbook, inv, run) });
}

function touched(runbook: Runbook, options: PlanOptions = {}): { hosts: string[]; touched: string[] } {
  const planned = plan(runbook, options);
  if (!planned.ok) throw new Error(JSON.stringify(planned.error));
  return { hosts: planned.value.hosts.map((h) => h.name), touched: planned.value.touchedHosts.map((h) => h.name) };
}

const TRANSFER = (to: string, extra = '') => `  - id: send\n    transfer: { src: /a, dest: /b, to: "${to}" }\n${extra}`;

describe('the hosts a run can touch', () => {
  it.each([
    ['recover-nova', ['ctl1', 'cmp1', 'cmp2']],
    ['backup-db', ['ctl1']],
  ])('%s: its steps’ hosts, and the storage host its catalog steps reach', (name, hosts) => {
    const file = join(repo, 'runbooks', `${name}.yaml`);
    const result = touched(load(file, readFileSync(file, 'utf8')));
    expect(result.hosts).toEqual(hosts);
    expect(result.touched).toEqual([...hosts, 'stor1']);
  });

  it('renders a reached field through vars, params and host facts: only the host it names', () => {
    expect(touched(inline(TRANSFER('{{vars.target}}'), 'vars:\n  target: "{{groups.storage.[1]}}"\n')).touched).toEqual(['ctl1', 'stor2']);
    expect(touched(inline(TRANSFER('{{params.to}}'), 'params:\n  to: { type: string, default: cmp2 }\n')).touched).toEqual(['ctl1', 'cmp2']);
    expect(touched(inline(TRANSFER('{{params.to}}'), 'params:\n  to: { type: string, default: cmp2 }\n'), { params: { assignments: ['to=stor1'] } }).touched).toEqual(['ctl1', 'stor1']);
  });

  it('a field that reads a registered result stands for every host of the groups it reads', () => {
    const probe = '  - id: find\n    probe: echo 1\n    register: found\n';
    const steps = `${probe}${TRANSFER('{{#if found.stdout}}{{groups.storage.[0]}}{{else}}{{groups.storage.[1]}}{{/if}}')}`;
    expect(touched(inline(steps)).touched).toEqual(['ctl1', 'stor1', 'stor2']);
  });

  it('a field that reads a registered result and no group stands for every host', () => {
    const steps = `  - id: find\n    probe: echo stor1\n    register: found\n${TRANSFER('{{found.stdout}}')}`;
    expect(touched(inline(steps)).touched).toEqual(['ctl1', 'cmp1', 'cmp2', 'stor1', 'stor2']);
  });

  it('a step skipped by --start-at reaches nothing', () => {
    const steps = `${TRANSFER('stor2')}  - { id: last, run: "true", irreversible: x }\n`;
    expect(touched(inline(steps), { startAt: 'last' }).touched).toEqual(['ctl1']);
  });

  it('a reached name that is no host of the inventory is an error at the field', () => {
    const planned = plan(inline(TRANSFER('stor9')));
    expect(planned.ok).toBe(false);
    expect(!planned.ok && planned.error).toEqual([
      expect.objectContaining({ line: 7, column: 40, path: 'steps[0].transfer.to', message: expect.stringContaining("'stor9' is not a host of") }),
    ]);
  });

  it('without reach rules (drill preflight), only the steps’ hosts', () => {
    const planned = buildPlan(inline(TRANSFER('stor2')), inventory);
    expect(planned.ok && planned.value.touchedHosts.map((h) => h.name)).toEqual(['ctl1']);
  });
});
