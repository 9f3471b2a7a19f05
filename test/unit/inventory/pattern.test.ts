import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventoryOrThrow as loadInventory } from '../../support/inventories.js';
import { expandLimitFiles } from '../../../src/inventory/limit-file.js';
import { HostPatternError, evaluatePattern, limitHosts, selectHosts, splitHostPattern } from '../../../src/inventory/pattern.js';

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

describe("Ansible's pattern language", () => {
  it('splits on commas, or on colons where the text is not an address or a range', () => {
    expect(splitHostPattern('a, b[1] ,c[2:3]')).toEqual(['a', 'b[1]', 'c[2:3]']);
    expect(splitHostPattern('web:&db:!ctl1')).toEqual(['web', '&db', '!ctl1']);
    expect(splitHostPattern('fe80::1')).toEqual(['fe80::1']);
    expect(splitHostPattern('db[1:3]')).toEqual(['db[1:3]']);
    expect(splitHostPattern('g[0]:h[1:]')).toEqual(['g[0]', 'h[1:]']);
  });

  it.each([
    ['controller:compute', ['ctl1', 'ctl2', 'cmp1', 'cmp2']],
    ['openstack:&zz_override', ['ctl1']],
    ['openstack:!compute', ['ctl1', 'ctl2']],
    ['controller[0]', ['ctl1']],
    ['openstack[-1]', ['cmp2']],
    ['openstack[1:2]', ['ctl2', 'cmp1']],
    ['openstack[2:]', ['cmp1', 'cmp2']],
    ['~c(tl|mp)1', ['ctl1', 'cmp1']],
    ['~^stor', ['stor1']],
    ['c?p*', ['cmp1', 'cmp2']],
    // Globs match group names (storage) before host names, as in Ansible.
    ['[bs]*', ['stor1', 'bastion']],
    ['[!bcs]*', ['bastion', 'stor1', 'ctl1', 'runner', 'ctl2', 'cmp1', 'cmp2']],
    ['cmp2,controller', ['cmp2', 'ctl1', 'ctl2']],
  ])('%s in Ansible order (checked with ansible-core 2.14)', (pattern, expected) => {
    expect(evaluatePattern(inv, pattern).map((h) => h.name)).toEqual(expected);
  });

  it('refuses what Ansible would only warn about, and says so', () => {
    expect(() => evaluatePattern(inv, 'controller,nope')).toThrow(/unknown host or group 'nope'.*Ansible would only warn/);
    expect(() => evaluatePattern(inv, 'controller[5]')).toThrow(/no hosts matched the subscripted pattern 'controller\[5\]'/);
    expect(() => evaluatePattern(inv, '~(')).toThrow(/not a valid regular expression/);
  });

  it('takes a host name before a group of the same name, as Ansible does', () => {
    expect(selectHosts(inv, 'ctl1').map((h) => h.name)).toEqual(['ctl1']);
  });
});

describe('expandLimitFiles', () => {
  it('reads @file patterns one a line, and names a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'limit-'));
    writeFileSync(join(dir, 'retry'), 'ctl1\n\ncompute\n');
    expect(expandLimitFiles('@retry,stor1', dir)).toEqual({ ok: true, value: 'ctl1,compute,stor1' });
    expect(expandLimitFiles('@missing', dir)).toEqual({ ok: false, error: expect.stringMatching(/cannot read the limit file .*missing: ENOENT/) });
  });
});
