import type { MarkerPlaces } from '../src/drill/lab-access.js';
import type { Fingerprint } from './fingerprint/index.js';

const MASKED = { rows: 0, sha256: 'masked: holds drill markers' };

/**
 * A copy of the fingerprint without the tables and files the drill's markers live in. Marker
 * rows written after the backup are meant to be lost, so those tables cannot equal the
 * pre-fault state; the marker check accounts for them instead.
 */
export function maskMarkers(fingerprint: Fingerprint, places: MarkerPlaces): Fingerprint {
  const copy = structuredClone(fingerprint);
  for (const t of places.tables) {
    const dbs = copy.hosts[t.host]?.databases;
    const db = dbs?.ok ? dbs.databases[t.database] : undefined;
    if (db && db.tables[t.table]) db.tables[t.table] = { ...MASKED };
  }
  for (const f of places.files) {
    const host = copy.hosts[f.host];
    if (!host) continue;
    for (const [root, tree] of Object.entries(host.paths)) {
      if ('missing' in tree || !f.path.startsWith(`${root}/`)) continue;
      delete tree.entries[f.path.slice(root.length + 1)];
    }
  }
  return copy;
}
