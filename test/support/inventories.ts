import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type LoadOptions, loadInventory } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/types.js';
import { orThrow } from './results.js';

/**
 * An inventory file of these groups (host names only) and `all` vars, written in a temp folder
 * of its own and loaded; `dir` is that folder, for files that go beside it.
 */
export function groupsInventory(groups: Record<string, string[]>, vars: Record<string, unknown> = {}): { inventory: Inventory; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'inventory-'));
  const children = Object.fromEntries(Object.entries(groups).map(([group, hosts]) => [group, { hosts: Object.fromEntries(hosts.map((h) => [h, {}])) }]));
  const file = join(dir, 'prod.yaml');
  writeFileSync(file, stringify({ all: { ...(Object.keys(vars).length > 0 ? { vars } : {}), children } }));
  return { inventory: loadInventoryOrThrow(file, dir), dir };
}

/** loadInventory for tests that expect a valid inventory: its diagnostics become the thrown error. */
export function loadInventoryOrThrow(spec: string, cwd: string, options: LoadOptions = {}): Inventory {
  return orThrow(loadInventory(spec, cwd, options));
}
