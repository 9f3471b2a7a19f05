import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/inventory/load.js';
import { inventoryJson, renderInventoryGraph } from '../../../src/inventory/render.js';

const inv = loadInventory(join(import.meta.dirname, '../../fixtures/inventories/inv-openstack.yaml'), '/', { user: 'u', home: '/h', env: {} });

describe('renderInventoryGraph', () => {
  it('draws the tree like ansible-inventory --graph', () => {
    expect(renderInventoryGraph(inv)).toBe(
      [
        '@all:',
        '  |--@local:',
        '  |  |--runner',
        '  |--@openstack:',
        '  |  |--@compute:',
        '  |  |  |--cmp1',
        '  |  |  |--cmp2',
        '  |  |--@controller:',
        '  |  |  |--ctl1',
        '  |  |  |--ctl2',
        '  |--@storage:',
        '  |  |--stor1',
        '  |--@ungrouped:',
        '  |  |--bastion',
        '  |--@zz_override:',
        '  |  |--ctl1',
      ].join('\n'),
    );
  });
});

describe('inventoryJson', () => {
  it('lists groups and merged hostvars like ansible-inventory --list', () => {
    const json = inventoryJson(inv);
    expect(json._meta.hostvars.ctl2).toMatchObject({ level: 'host', role: 'controller', ansible_user: 'root' });
    expect(json.all).toMatchObject({ children: ['local', 'openstack', 'storage', 'ungrouped', 'zz_override'] });
    expect(json.controller).toMatchObject({ hosts: ['ctl1', 'ctl2'] });
  });
});
