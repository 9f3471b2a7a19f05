import { describe, expect, it } from 'vitest';
import type { Host, Inventory } from '../../../src/inventory/types.js';
import { drillableProblem } from '../../../src/drill/safety.js';

const host = (name: string, vars: Record<string, unknown>): Host => ({ name, address: name, port: 22, user: 'root', become: false, connection: 'ssh', groups: [], vars });
const inventory = (...hosts: Host[]): Inventory => ({ file: '/inv.yaml', sha256: '', hosts, groups: new Map(), knownHostsFile: '', hostKeyPolicy: 'strict' });

describe('drillableProblem', () => {
  it('accepts an inventory whose every host says runbook_drillable: true', () => {
    expect(drillableProblem(inventory(host('a', { runbook_drillable: true }), host('b', { runbook_drillable: true })))).toBeUndefined();
  });

  it('refuses when any host does not, naming it; a string "true" is not the boolean', () => {
    expect(drillableProblem(inventory(host('a', { runbook_drillable: true }), host('b', {})))).toMatch(/not drillable: b do not set runbook_drillable: true/);
    expect(drillableProblem(inventory(host('a', { runbook_drillable: 'true' })))).toMatch(/not drillable: a/);
    expect(drillableProblem(inventory())).toMatch(/no hosts/);
  });
});
