import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { LabAccess, LabFingerprint, MarkerPlaces } from '../src/drill/lab-access.js';
import type { Inventory } from '../src/inventory/types.js';
import { diffFingerprints, type Fingerprint, labOpen } from './api.js';
import { maskMarkers } from './drill-mask.js';
import { isGalera, membersOf, replicatedPlaces } from './galera/config.js';

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
  const lab = labOpen(dir);
  if (![lab.inventory, lab.sudoInventory].some((file) => resolve(file) === resolve(inventory.file))) return undefined;
  const names = new Set(lab.hosts.map((h) => h.name));
  if (!inventory.hosts.every((h) => names.has(h.name))) return undefined;
  return {
    dir,
    fingerprint: () => lab.fingerprint(),
    diff: (before, after, markers) => {
      // On a Galera lab a marker row is on every member (replicated).
      const places = markers && isGalera(lab.config) ? replicatedPlaces(markers, membersOf(lab.hosts)) : markers;
      return diffFingerprints(masked(before, places), masked(after, places));
    },
    inject: async (fault) => (await lab.fault(fault as Parameters<typeof lab.fault>[0])).description,
  };
}

/** The drill hands back the fingerprints this lab made; the marker places are left out of both sides. */
function masked(fingerprint: LabFingerprint, markers: MarkerPlaces | undefined): Fingerprint {
  const own = fingerprint as Fingerprint;
  return markers ? maskMarkers(own, markers) : own;
}
