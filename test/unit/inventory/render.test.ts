import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventoryOrThrow as loadInventory } from '../../support/inventories.js';
import { inventoryJson, renderInventoryGraph } from '../../../src/inventory/render.js';

const inv = loadInventory(join(import.meta.dirname, '../../fixtures/inventories/inv-openstack.yaml'), '/', { user: 'u', home: '/h', env: {} });

describe('renderInventoryGraph', () => {
  it('draws the tree like ansible-inventory --graph, groups and hosts in the order they were added', () => {
    // ansible-inventory -i test/fixtures/inventories/inv-openstack.yaml --graph (ansible-core 2.14)
    expect(renderInventoryGraph(inv)).toBe(
      [
        '@all:',
        '  |--@ungrouped:',
        '  |  |--bastion',
        '  |--@openstack:',
        '  |  |--@controller:',
        '  |  |  |--ctl1',
        '  |  |  |--ctl2',
        '  |  |--@compute:',
        '  |  |  |--cmp1',
        '  |  |  |--cmp2',
        '  |--@storage:',
        '  |  |--stor1',
        '  |--@zz_override:',
        '  |  |--ctl1',
        '  |--@local:',
        '  |  |--runner',
      ].join('\n'),
    );
  });
});

describe('inventoryJson', () => {
  it('lists groups and merged hostvars like ansible-inventory --list', () => {
    const json = inventoryJson(inv);
    expect(json._meta.hostvars.ctl2).toMatchObject({ level: 'host', role: 'controller', ansible_user: 'root' });
    expect(json.all).toEqual({ children: ['ungrouped', 'openstack', 'storage', 'zz_override', 'local'] });
    expect(json.controller).toMatchObject({ hosts: ['ctl1', 'ctl2'] });
  });
});
