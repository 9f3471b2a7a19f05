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
  const loaded = loadRunbook(resolveRunbookFile(name, io.cwd));
  if (!loaded.ok) return reportDiagnostics(io, loaded.error);
  io.out(runbookMarkdown(loaded.value));
  return EXIT.ok;
}
