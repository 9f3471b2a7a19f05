import { ValidationError } from '../diagnostics/diagnostic.js';
import { loadInventory } from '../inventory/load.js';
import { inventoryJson, renderInventoryGraph } from '../inventory/render.js';
import { type CommandIO, EXIT, reportDiagnostics } from '../app/io.js';

/** `runbook inventory --inventory INV [--graph | --json]`, like ansible-inventory. */
export async function showInventory(name: string, format: 'graph' | 'json', io: CommandIO): Promise<number> {
  try {
    const inventory = loadInventory(name, io.cwd);
    io.out(format === 'json' ? JSON.stringify(inventoryJson(inventory), null, 2) : renderInventoryGraph(inventory));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ValidationError) return reportDiagnostics(io, error.diagnostics);
    throw error;
  }
}
