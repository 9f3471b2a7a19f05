import { readCatalog } from '../catalog/read.js';
import { ConnectionPool } from '../connection/pool.js';
import { loadInventory } from '../inventory/load.js';
import type { Host, Inventory } from '../inventory/types.js';
import { type BackupFilter, type StorageListing, backupsJson, backupsTable, filterCatalog } from '../report/backups.js';
import { type CommandIO, EXIT, reportDiagnostics } from '../app/io.js';

export interface BackupsRequest extends BackupFilter {
  inventory: string;
  json: boolean;
}

/** The inventory group whose hosts hold the catalog (SPEC's inventory example). */
export const STORAGE_GROUP = 'storage';

/**
 * `runbook backups --inventory INV`: the catalog of every storage host, read over SSH with the
 * same host-key checks as a run. Exit 0; 4 when a storage host is unreachable (the others are
 * still listed); 1 when a reachable host's catalog cannot be read; 2 for usage errors.
 */
export async function listBackups(request: BackupsRequest, io: CommandIO): Promise<number> {
  const inventory = load(request.inventory, io);
  if (typeof inventory === 'number') return inventory;
  const storage = storageHosts(inventory, io);
  if (typeof storage === 'number') return storage;

  const pool = new ConnectionPool();
  try {
    const failures = await pool.openAll(storage);
    const reached = storage.filter((h) => !failures.some((f) => f.host === h.name));
    const listings = await Promise.all(reached.map((h) => listOne(pool, h, request, io.signal)));
    const unreachable = failures.map((f) => ({ host: f.host, stage: f.stage, message: f.message }));
    if (request.json) io.out(JSON.stringify(backupsJson(listings, unreachable), null, 2));
    else io.out(...backupsTable(listings));
    for (const u of unreachable) io.err(`unreachable: [${u.host}] ${u.stage}: ${u.message}`);
    if (unreachable.length > 0) return EXIT.unreachable;
    return listings.some((l) => l.error !== undefined) ? EXIT.failed : EXIT.ok;
  } finally {
    await pool.closeAll();
  }
}

function load(name: string, io: CommandIO): Inventory | number {
  const loaded = loadInventory(name, io.cwd);
  return loaded.ok ? loaded.value : reportDiagnostics(io, loaded.error);
}

/** The storage hosts, each with a backup_root; anything missing is a usage error (exit 2). */
function storageHosts(inventory: Inventory, io: CommandIO): Host[] | number {
  const hosts = inventory.hosts.filter((h) => h.groups.includes(STORAGE_GROUP));
  if (hosts.length === 0) return usage(io, `${inventory.file} has no host in group '${STORAGE_GROUP}': the catalog lives on the storage hosts`);
  const rootless = hosts.filter((h) => typeof h.vars.backup_root !== 'string' || h.vars.backup_root === '');
  if (rootless.length > 0) return usage(io, `${rootless.map((h) => h.name).join(', ')}: no backup_root variable in ${inventory.file} (the catalog's folder)`);
  return hosts;
}

async function listOne(pool: ConnectionPool, host: Host, filter: BackupFilter, signal: AbortSignal): Promise<StorageListing> {
  const root = host.vars.backup_root as string;
  try {
    const catalog = await readCatalog(await pool.get(host.name), root, { signal });
    return { storage: host.name, root, catalog: filterCatalog(catalog, root, filter) };
  } catch (error) {
    // A host that answered but whose catalog cannot be listed (permissions, a file for a folder).
    return { storage: host.name, root, error: error instanceof Error ? error.message : String(error) };
  }
}

function usage(io: CommandIO, message: string): number {
  io.err(`error: ${message}`);
  return EXIT.usage;
}
