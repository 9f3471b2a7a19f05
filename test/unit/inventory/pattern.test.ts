import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventoryOrThrow as loadInventory } from '../../support/inventories.js';
import { HostPatternError, limitHosts, selectHosts } from '../../../src/inventory/pattern.js';

const inv = loadInventory(join(import.meta.dirname, '../../fixtures/inventories/inv-openstack.yaml'), '/', { user: 'u', home: '/h', env: {} });
const names = (pattern: string) => selectHosts(inv, pattern).map((h) => h.name);

describe('selectHosts', () => {
  it.each([
    ['all', ['bastion', 'ctl1', 'ctl2', 'cmp1', 'cmp2', 'stor1', 'runner']],
    ['controller', ['ctl1', 'ctl2']],
    ['openstack', ['ctl1', 'ctl2', 'cmp1', 'cmp2']],
    ['cmp2,controller', ['ctl1', 'ctl2', 'cmp2']],
    ['controller,ctl1,controller', ['ctl1', 'ctl2']],
    ['openstack,!compute', ['ctl1', 'ctl2']],
    ['all,!ctl1,!storage', ['bastion', 'ctl2', 'cmp1', 'cmp2', 'runner']],
    ['!openstack', ['bastion', 'stor1', 'runner']],
    ['openstack,&zz_override', ['ctl1']],
    ['cmp*', ['cmp1', 'cmp2']],
    [' ctl2 , stor1 ', ['ctl2', 'stor1']],
  ])('%s', (pattern, expected) => {
    expect(names(pattern)).toEqual(expected);
  });

  it('names every unknown term', () => {
    expect(() => selectHosts(inv, 'controller,ctl9,!nope')).toThrow(HostPatternError);
    try {
      selectHosts(inv, 'controller,ctl9,!nope');
    } catch (error) {
      expect((error as HostPatternError).unknown).toEqual(['ctl9', 'nope']);
    }
  });
});

describe('limitHosts', () => {
  it('keeps the selected hosts in their order', () => {
    const hosts = selectHosts(inv, 'openstack');
    expect(limitHosts(hosts, 'compute,ctl2').map((h) => h.name)).toEqual(['ctl2', 'cmp1', 'cmp2']);
    expect(limitHosts(hosts, 'stor1', inv)).toEqual([]);
    expect(() => limitHosts(hosts, 'ctl9', inv)).toThrow(/ctl9/);
  });
});
