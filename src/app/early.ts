import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ConnectionPool } from '../connection/pool.js';
import { type PositionedYaml, parsePositionedYaml } from '../diagnostics/yaml.js';
import { loadInventory } from '../inventory/load.js';
import type { Host, Inventory } from '../inventory/types.js';
import type { ModuleRegistry } from '../modules/module.js';
import { likelyHosts, likelyReachedHosts } from '../plan/likely-hosts.js';
import type { CommandIO } from './io.js';
import type { RunRequest } from './request.js';
import { resolveRunbookFile } from './resolve.js';

/** What start.ts read before loading the rest, for the validation to reuse instead of reading again. */
export interface EarlyRead {
  inventory?: Inventory;
  /** The runbook file as resolved, its text, and that text parsed (not validated). */
  runbook?: { file: string; text: string; yaml: PositionedYaml };
}

/**
 * Starts connecting to the hosts the runbook's patterns select (with `--limit` and `--start-at`)
 * and returns what it read. Any problem (a missing file, YAML errors, an unknown group) means no
 * early connection: the validation finds it again and reports it properly.
 */
export function connectEarly(request: RunRequest, io: CommandIO, pool: ConnectionPool): EarlyRead {
  if (request.runbook === undefined || request.resume !== undefined) return {};
  let runbook: EarlyRead['runbook'];
  try {
    const file = resolve(resolveRunbookFile(request.runbook, io.cwd));
    const text = readFileSync(file, 'utf8');
    runbook = { file, text, yaml: parsePositionedYaml(file, text) };
  } catch {
    return {};
  }
  // The runbook's folder may hold group_vars/ and host_vars/ (Ansible's playbook-adjacent vars).
  const loaded = loadInventory(request.inventory, io.cwd, { playbookDir: dirname(runbook.file) });
  if (!loaded.ok) return {};
  const inventory: Inventory = loaded.value;
  if (runbook.yaml.errors.length === 0) {
    const hosts = likelyHosts(runbook.yaml.value, inventory, {
      ...(request.limit === undefined ? {} : { limit: request.limit }),
      ...(request.startAt === undefined ? {} : { startAt: request.startAt }),
    });
    pool.prefetch(hosts.filter(strictKeys));
  }
  return { inventory, runbook };
}

/**
 * Starts connecting to the hosts the runbook's modules likely reach (the catalog's storage host,
 * a transfer's destination: likely-hosts.ts), once run.ts has loaded the modules and before
 * it validates: as with connectEarly, nothing is reported, the plan decides.
 */
export function connectReachedEarly(request: RunRequest, early: EarlyRead, pool: ConnectionPool, modules: ModuleRegistry): void {
  if (!early.inventory || !early.runbook || early.runbook.yaml.errors.length > 0) return;
  const hosts = likelyReachedHosts(early.runbook.yaml.value, early.inventory, (m) => modules.get(m)?.reaches ?? [], request.startAt);
  pool.prefetch(hosts.filter(strictKeys));
}

/** Accepting a new key writes known_hosts, which must wait for validation. */
function strictKeys(host: Host): boolean {
  return (host.hostKeyPolicy ?? 'strict') === 'strict';
}
