import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { readCatalog } from '../catalog/read.js';
import { offsiteRoot, readOffsiteCatalog } from '../offsite/catalog.js';
import { type SwiftTarget, locationOf, targetProblem } from '../offsite/swift.js';
import { ConnectionPool } from '../connection/pool.js';
import { loadInventory } from '../inventory/load.js';
import { HostPatternError, selectHosts } from '../inventory/pattern.js';
import type { Host, Inventory } from '../inventory/types.js';
import { parseDuration } from '../runbook/duration.js';
import { type BackupFilter, type StorageListing, backupsJson, backupsTable, filterCatalog } from '../report/backups.js';
import { backupMetrics } from '../report/metrics.js';
import { type Expectation, type FreshnessLimits, checkStaleness } from '../report/staleness.js';
import { type CommandIO, EXIT, reportDiagnostics } from '../app/io.js';

export interface BackupsRequest extends BackupFilter {
  inventory: string;
  json: boolean;
  /** `--metrics`: Prometheus text instead of the table. */
  metrics?: boolean;
  /** `--output FILE` (with --metrics): written atomically instead of printed. */
  output?: string;
  /** `--check`: staleness, with `--max-age` (required) and `--max-untested-age`. */
  check?: boolean;
  maxAge?: string;
  maxUntestedAge?: string;
  /** `--expect KIND:PATTERN`: the backups that must exist (default: what backup-db and backup-files take). */
  expect?: string[];
  /** Milliseconds since the epoch; tests pass their own clock. */
  now?: () => number;
}

/** The inventory group whose hosts hold the catalog (SPEC's inventory example). */
export const STORAGE_GROUP = 'storage';

/**
 * What `--check` expects without `--expect`: the backups the shipped runbooks take (backup-db on
 * the controllers, backup-files on the controllers, compute and storage hosts). A group the
 * inventory does not have expects nothing.
 */
export const DEFAULT_EXPECTATIONS: ReadonlyArray<{ kind: string; groups: string[] }> = [
  { kind: 'db', groups: ['controller'] },
  { kind: 'files', groups: ['controller', 'compute', 'storage'] },
];

/**
 * `runbook backups --inventory INV`: the catalog of every storage host, read over SSH with the
 * same host-key checks as a run, as a table, JSON, Prometheus text (`--metrics`) or a staleness
 * check (`--check`). Exit 0; 1 when a reachable host's catalog cannot be read, or `--check` found
 * a problem; 4 when a storage host is unreachable (the others are still listed); 2 for usage
 * errors.
 */
export async function listBackups(request: BackupsRequest, io: CommandIO): Promise<number> {
  const modes = [request.json, request.metrics, request.check].filter(Boolean).length;
  if (modes > 1) return usage(io, '--json, --metrics and --check go one at a time');
  if (request.output !== undefined && !request.metrics) return usage(io, '--output goes with --metrics');
  const limits = request.check ? freshnessLimits(request, io) : undefined;
  if (typeof limits === 'number') return limits;
  const inventory = load(request.inventory, io);
  if (typeof inventory === 'number') return inventory;
  const storage = storageHosts(inventory, io);
  if (typeof storage === 'number') return storage;
  const expected = limits ? expectations(inventory, request, io) : [];
  if (typeof expected === 'number') return expected;

  const pool = new ConnectionPool();
  try {
    const failures = await pool.openAll(storage);
    const reached = storage.filter((h) => !failures.some((f) => f.host === h.name));
    const listings = await Promise.all(reached.map((h) => listOne(pool, h, request, io.signal)));
    const offsite = reached[0] ? await listOffsite(pool, reached[0], request, io) : undefined;
    if (offsite) listings.push(offsite);
    const unreachable = failures.map((f) => ({ host: f.host, stage: f.stage, message: f.message }));
    const now = (request.now ?? Date.now)();
    let checked: number = EXIT.ok;
    if (limits) checked = printCheck(listings, expected, limits, now, io);
    else if (request.metrics) {
      const written = writeMetrics(backupMetrics(listings, unreachable.map((u) => u.host), now), request.output, io);
      if (written !== EXIT.ok) return written;
    } else if (request.json) io.out(JSON.stringify(backupsJson(listings, unreachable), null, 2));
    else io.out(...backupsTable(listings));
    for (const u of unreachable) io.err(`unreachable: [${u.host}] ${u.stage}: ${u.message}`);
    if (unreachable.length > 0) return EXIT.unreachable;
    if (checked !== EXIT.ok) return checked;
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

/**
 * The off-site copy, when the storage host's inventory vars declare one (`offsite_swift_auth_url`,
 * `_user`, `_container`; the key in RUNBOOK_SWIFT_KEY), read through that host (curl, the key on
 * stdin): a listing of its own, `swift:<container>`. Declared without a key, the listing is an
 * error (exit 1), never silently absent.
 */
async function listOffsite(pool: ConnectionPool, host: Host, filter: BackupFilter, io: CommandIO): Promise<StorageListing | undefined> {
  if (host.vars.offsite_swift_auth_url === undefined) return undefined;
  const text = (key: string): string => (typeof host.vars[`offsite_swift_${key}`] === 'string' ? (host.vars[`offsite_swift_${key}`] as string) : '');
  const target: SwiftTarget = { auth_url: text('auth_url'), user: text('user'), container: text('container'), key: io.env['RUNBOOK_SWIFT_KEY'] ?? '' };
  const root = offsiteRoot(target);
  const listing = { storage: locationOf(target), root, offsite: { via: host.name } };
  const problem = targetProblem(target);
  if (problem) return { ...listing, error: `offsite_swift_* of ${host.name}: ${problem}` };
  try {
    const catalog = await readOffsiteCatalog(await pool.get(host.name), target, { signal: io.signal });
    return { ...listing, catalog: filterCatalog(catalog, root, filter) };
  } catch (error) {
    return { ...listing, error: error instanceof Error ? error.message : String(error) };
  }
}

/** `--max-age` (required with --check) and `--max-untested-age`, or exit 2. */
function freshnessLimits(request: BackupsRequest, io: CommandIO): FreshnessLimits | number {
  if (request.maxAge === undefined) return usage(io, '--check needs --max-age (e.g. --max-age 26h: a day and a margin)');
  const maxAge = parseDuration(request.maxAge);
  if (maxAge === undefined || maxAge <= 0) return usage(io, `--max-age ${JSON.stringify(request.maxAge)}: expected a duration (26h, 2d)`);
  if (request.maxUntestedAge === undefined) return { maxAge };
  const maxUntestedAge = parseDuration(request.maxUntestedAge);
  if (maxUntestedAge === undefined || maxUntestedAge <= 0) return usage(io, `--max-untested-age ${JSON.stringify(request.maxUntestedAge)}: expected a duration (8d)`);
  return { maxAge, maxUntestedAge };
}

/** The kinds and hosts `--check` requires, narrowed by --kind and --host; a bad --expect is exit 2. */
function expectations(inventory: Inventory, request: BackupsRequest, io: CommandIO): Expectation[] | number {
  const wanted = (e: Expectation): Expectation => ({ kind: e.kind, hosts: e.hosts.filter((h) => request.host === undefined || h === request.host) });
  const keep = (e: Expectation): boolean => request.kind === undefined || e.kind === request.kind;
  if (request.expect === undefined || request.expect.length === 0) {
    const defaults = DEFAULT_EXPECTATIONS.map(({ kind, groups }) => ({ kind, hosts: inventory.hosts.filter((h) => groups.some((g) => h.groups.includes(g))).map((h) => h.name) }));
    return defaults.filter(keep).map(wanted);
  }
  const parsed: Expectation[] = [];
  for (const text of request.expect) {
    const match = /^([A-Za-z0-9][A-Za-z0-9_.-]*):(.+)$/.exec(text);
    if (!match) return usage(io, `--expect ${JSON.stringify(text)}: expected KIND:PATTERN (db:controller, files:controller,compute)`);
    try {
      parsed.push({ kind: match[1] as string, hosts: selectHosts(inventory, match[2] as string).map((h) => h.name) });
    } catch (error) {
      if (error instanceof HostPatternError) return usage(io, `--expect ${text}: ${error.message}`);
      throw error;
    }
  }
  return parsed.filter(keep).map(wanted);
}

/** One line per problem (or one `ok:` line); exit 1 when there is a problem. */
function printCheck(listings: readonly StorageListing[], expected: readonly Expectation[], limits: FreshnessLimits, now: number, io: CommandIO): number {
  const report = checkStaleness(listings, expected, limits, now);
  if (report.problems.length > 0) {
    io.out(...report.problems);
    return EXIT.failed;
  }
  io.out(report.fresh.length === 0 ? 'ok: no backups expected, none found' : `ok: fresh backups of ${report.fresh.join(', ')}`);
  return EXIT.ok;
}

/**
 * Prints the metrics, or writes them to `output` the way the textfile collector needs: into a
 * hidden temporary file beside it (the collector reads only `*.prom`), then renamed over it, so
 * a scrape never sees half a file.
 */
function writeMetrics(text: string, output: string | undefined, io: CommandIO): number {
  if (output === undefined) {
    io.out(text.trimEnd());
    return EXIT.ok;
  }
  const file = resolve(io.cwd, output);
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text, { mode: 0o644 });
    renameSync(temporary, file);
    return EXIT.ok;
  } catch (error) {
    rmSync(temporary, { force: true });
    io.err(`error: --output ${file}: ${(error as NodeJS.ErrnoException).message}`);
    return EXIT.failed;
  }
}

function usage(io: CommandIO, message: string): number {
  io.err(`error: ${message}`);
  return EXIT.usage;
}
