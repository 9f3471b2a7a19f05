import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConnectionPool } from '../connection/pool.js';
import { type PositionedYaml, parsePositionedYaml } from '../diagnostics/yaml.js';
import type { RunEvent } from '../engine/events.js';
import { loadInventory } from '../inventory/load.js';
import type { Inventory } from '../inventory/types.js';
import { likelyHosts } from '../plan/likely-hosts.js';
import type { CommandIO } from './io.js';
import { resolveRunbookFile } from './resolve.js';

export interface ExecRequest {
  runbook?: string;
  inventory: string;
  params: string[];
  limit?: string;
  check: boolean;
  forks: number;
  yes: boolean;
  json: boolean;
  startAt?: string;
  resume?: string;
  stateDir: string;
  /** Sees every event as journaled (a drill measures its phases from them). */
  onEvent?: (event: RunEvent) => void;
}

/**
 * `runbook exec` and `runbook plan`. An SSH handshake is mostly waiting for the server, and
 * loading the engine and validating the runbook is mostly work for this process, so the two
 * overlap: this module, which loads little, reads the inventory and the runbook's host patterns
 * and starts connecting to the hosts the run will likely need, then loads the rest
 * (exec-run.ts), which validates, plans and runs. Nothing of those early connections is
 * reported before the plan is known: a validation error still comes alone, with exit 2, and an
 * unreachable host is reported only if the plan needs it. Hosts whose key policy is accept-new
 * are not among them (accepting a key writes known_hosts, which must wait for validation).
 * Returns SPEC's exit code.
 */
export async function execRunbook(request: ExecRequest, io: CommandIO): Promise<number> {
  const pool = new ConnectionPool();
  try {
    const early = connectEarly(request, io, pool);
    const { runRequest } = await import('./exec-run.js');
    return await runRequest(request, io, pool, early);
  } finally {
    // Gives up the early connections a failed validation never needed.
    await pool.closeAll();
  }
}

/** What exec.ts read before loading the rest, for the validation to reuse instead of reading again. */
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
function connectEarly(request: ExecRequest, io: CommandIO, pool: ConnectionPool): EarlyRead {
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
    pool.prefetch(hosts.filter((h) => (h.hostKeyPolicy ?? 'strict') === 'strict'));
  }
  return { inventory, runbook };
}
