import { ValidationError } from '../diagnostics/diagnostic.js';
import { runbookMarkdown } from '../report/document.js';
import { loadRunbook } from '../runbook/load.js';
import { type CommandIO, EXIT, reportDiagnostics } from './io.js';
import { resolveRunbookFile } from './resolve.js';

/** `runbook show RUNBOOK [--format md]`: steps, params, hosts, checks and rollbacks. */
export async function showRunbook(name: string, io: CommandIO): Promise<number> {
  try {
    io.out(runbookMarkdown(loadRunbook(resolveRunbookFile(name, io.cwd))));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ValidationError) return reportDiagnostics(io, error.diagnostics);
    throw error;
  }
}
