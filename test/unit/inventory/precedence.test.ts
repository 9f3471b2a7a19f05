import { describe, expect, it } from 'vitest';
import { addChild, addHost, emptyInventory, reconcile, setGroupVar, setHostVar } from '../../../src/inventory/data.js';
import { type VarsLayers, buildModel } from '../../../src/inventory/precedence.js';

const defaults = { user: 'operator', home: '/home/operator', env: {} };

/** all > parent > child, a sibling `b_side`, and host h in child and b_side. */
function inventory() {
  const raw = emptyInventory();
  addChild(raw, 'parent', 'child');
  addHost(raw, 'h', 'child');
  addHost(raw, 'h', 'b_side');
  addHost(raw, 'other');
  reconcile(raw);
  return raw;
}

function varsOf(raw: ReturnType<typeof inventory>, layers: VarsLayers = { inventory: [], playbook: [] }) {
  const diagnostics: never[] = [];
  const { hosts } = buildModel(raw, layers, '/inv', defaults, '/inv/hosts', diagnostics);
  return Object.fromEntries(hosts.map((h) => [h.name, h.vars]));
}

const layer = (groups: Record<string, Record<string, unknown>>, hosts: Record<string, Record<string, unknown>> = {}) => ({
  groups: new Map(Object.entries(groups)),
  hosts: new Map(Object.entries(hosts)),
});

describe("Ansible's variable precedence", () => {
  it('merges all < shallow groups < deep groups, equal depths by priority then name', () => {
    const raw = inventory();
    for (const [group, value] of [['all', 'all'], ['parent', 'parent'], ['child', 'child'], ['b_side', 'b_side']]) setGroupVar(raw, group as string, 'v', value);
    setGroupVar(raw, 'b_side', 'w', 'b_side');
    setGroupVar(raw, 'parent', 'w', 'parent');
    expect(varsOf(raw).h).toMatchObject({ v: 'child', w: 'parent' });
    setGroupVar(raw, 'parent', 'ansible_group_priority', 0);
    expect(varsOf(raw).h).toMatchObject({ w: 'b_side' });
    expect(varsOf(raw).h).not.toHaveProperty('ansible_group_priority');
  });

  it('puts group_vars files above every inventory group var, and host vars above all groups', () => {
    const raw = inventory();
    setGroupVar(raw, 'child', 'v', 'child_inventory');
    setHostVar(raw, 'h', 'hv', 'host_inventory');
    const layers = { inventory: [layer({ all: { v: 'group_vars_all', hv: 'group_vars_all' } })], playbook: [] };
    expect(varsOf(raw, layers).h).toMatchObject({ v: 'group_vars_all', hv: 'host_inventory' });
    layers.inventory.push(layer({ parent: { v: 'second_source_parent' } }, { h: { hv: 'host_vars' } }));
    expect(varsOf(raw, layers).h).toMatchObject({ v: 'second_source_parent', hv: 'host_vars' });
  });

  it("lets the runbook's group_vars and host_vars win over the inventory's", () => {
    const raw = inventory();
    const layers = {
      inventory: [layer({ all: { a: 'inventory' }, child: { c: 'inventory' } }, { h: { x: 'inventory' } })],
      playbook: [layer({ all: { a: 'playbook' }, parent: { c: 'playbook_parent' } }, { h: { x: 'playbook' } })],
    };
    // Each folder gives all of the host's groups in turn, the inventory's first: the runbook's group_vars/parent
    // beats the inventory's group_vars/child (checked with ansible-inventory --playbook-dir).
    expect(varsOf(raw, layers).h).toEqual({ a: 'playbook', c: 'playbook_parent', x: 'playbook' });
  });

  it('merges a mapping set twice on one group one level deep, as set_variable does', () => {
    const raw = inventory();
    setGroupVar(raw, 'child', 'm', { a: 1, b: { deep: 1 } });
    setGroupVar(raw, 'child', 'm', { b: { other: 2 } });
    expect(varsOf(raw).h?.m).toEqual({ a: 1, b: { other: 2 } });
  });
});
