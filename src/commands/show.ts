import { ValidationError } from '../diagnostics/diagnostic.js';
import { runbookMarkdown } from '../report/document.js';
import { loadRunbook } from '../runbook/load.js';
import { type CommandIO, EXIT, reportDiagnostics } from '../app/io.js';
import { resolveRunbookFile } from '../app/resolve.js';

/** Formats `show` can write; markdown is the operator's document (docs/runbooks/ holds the same). */
export const SHOW_FORMATS = ['md'] as const;

/** `runbook show RUNBOOK [--format md]`: steps, params, hosts, checks and rollbacks. */
export async function showRunbook(name: string, io: CommandIO, format = 'md'): Promise<number> {
  if (!(SHOW_FORMATS as readonly string[]).includes(format)) {
    io.err(`error: unknown format '${format}' (formats: ${SHOW_FORMATS.join(', ')})`);
    return EXIT.usage;
  }
  try {
    io.out(runbookMarkdown(loadRunbook(resolveRunbookFile(name, io.cwd))));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ValidationError) return reportDiagnostics(io, error.diagnostics);
    throw error;
  }
}
