import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Fingerprint } from '../../lab/api.js';
import type { Inventory } from '../inventory/types.js';
import type { LabFaultSpec } from './types.js';

export type { Fingerprint } from '../../lab/api.js';

/**
 * What a drill may do that only a lab can: digest the protected state of every host and inject
 * a lab fault. A real cloud has no lab, so the drill reaches these only through this interface,
 * and only when the inventory is the one a lab wrote (docs/drills.md, "Lab and cloud").
 */
export interface LabAccess {
  /** The lab's state folder, for the report. */
  dir: string;
  fingerprint(): Promise<Fingerprint>;
  /** One line per difference ("ctl1 db nova.instances: rows 873 -> 0"). */
  diff(before: Fingerprint, after: Fingerprint): string[];
  /** Injects the fault; resolves to what it did, in words. */
  inject(fault: LabFaultSpec): Promise<string>;
}

/**
 * The lab behind an inventory, if there is one: the lab keeps its ssh key in `<lab>/ssh/`, and
 * its lab.json names the inventory it wrote (and the sudo one beside it). An inventory that
 * merely points at a lab's key is not a lab inventory: the file must be one that lab wrote.
 */
export async function labFor(inventory: Inventory): Promise<LabAccess | undefined> {
  const key = inventory.hosts[0]?.privateKeyFile;
  if (!key) return undefined;
  const dir = dirname(dirname(key));
  if (!existsSync(join(dir, 'lab.json'))) return undefined;
  // Loaded only here: a cloud's drill never loads lab code.
  const api = await import('../../lab/api.js');
  const lab = api.labOpen(dir);
  if (![lab.inventory, lab.sudoInventory].some((file) => resolve(file) === resolve(inventory.file))) return undefined;
  const names = new Set(lab.hosts.map((h) => h.name));
  if (!inventory.hosts.every((h) => names.has(h.name))) return undefined;
  return {
    dir,
    fingerprint: () => lab.fingerprint(),
    diff: (before, after) => api.diffFingerprints(before, after),
    inject: async (fault) => (await lab.fault(fault as Parameters<typeof lab.fault>[0])).description,
  };
}
