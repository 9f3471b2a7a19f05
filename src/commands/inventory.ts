import { expandLimitFiles } from '../inventory/limit-file.js';
import { loadInventory } from '../inventory/load.js';
import { HostPatternError, evaluatePattern } from '../inventory/pattern.js';
import { inventoryJson, renderInventoryGraph } from '../inventory/render.js';
import { type CommandIO, EXIT, reportDiagnostics } from '../app/io.js';

/** `runbook inventory --inventory INV [--graph | --list]`, like ansible-inventory. */
export async function showInventory(name: string, format: 'graph' | 'list', io: CommandIO): Promise<number> {
  // Showing connects nowhere, so connection variables runbook could not use are not errors here.
  const loaded = loadInventory(name, io.cwd, { env: io.env, checkConnectionVars: false });
  if (!loaded.ok) return reportDiagnostics(io, loaded.error);
  io.out(format === 'list' ? JSON.stringify(inventoryJson(loaded.value), null, 4) : renderInventoryGraph(loaded.value));
  return EXIT.ok;
}

/** `runbook inventory --inventory INV --list-hosts PATTERN`, printed like `ansible INV --list-hosts PATTERN`. */
export async function listPatternHosts(name: string, pattern: string, io: CommandIO): Promise<number> {
  const loaded = loadInventory(name, io.cwd, { env: io.env, checkConnectionVars: false });
  if (!loaded.ok) return reportDiagnostics(io, loaded.error);
  const limit = expandLimitFiles(pattern, io.cwd);
  if (!limit.ok) {
    io.err(`error: ${limit.error}`);
    return EXIT.usage;
  }
  try {
    const hosts = evaluatePattern(loaded.value, limit.value);
    io.out([`  hosts (${hosts.length}):`, ...hosts.map((h) => `    ${h.name}`)].join('\n'));
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof HostPatternError)) throw error;
    io.err(`error: ${error.message}`);
    return EXIT.usage;
  }
}
