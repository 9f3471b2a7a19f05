import { readFile } from 'node:fs/promises';
import { renderDiagnostics } from '../diagnostics/print.js';
import { type Result, fail, ok } from '../diagnostics/result.js';
import { formatFinding, lintSummary } from '../lint/format.js';
import { lintRunbook } from '../lint/run.js';
import type { LintFinding } from '../lint/types.js';
import { parseRunbook } from '../runbook/load.js';
import { type CommandIO, EXIT } from '../app/io.js';
import { runbookFiles } from './runbook-files.js';

/** One file's findings, or the validation errors that kept it from being linted. */
async function lintFile(file: string): Promise<Result<LintFinding[]>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return fail([{ severity: 'error', file, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
  }
  const parsed = parseRunbook(file, text);
  return parsed.ok ? ok(lintRunbook(parsed.value).findings) : parsed;
}

/**
 * `runbook lint [FILE...]`: policy findings of every runbook (default: runbooks/), each as
 * file:line:col with its rule id. Exit 1 on an error not waived, 2 when a file is invalid.
 */
export async function lint(files: string[], io: CommandIO): Promise<number> {
  const targets = await runbookFiles(files, io.cwd);
  if (targets.length === 0) {
    io.err('error: nothing to lint (no files given, and no runbooks/ here)');
    return EXIT.usage;
  }
  const outcomes = await Promise.all(targets.map(lintFile));
  const findings: LintFinding[] = [];
  outcomes.forEach((outcome, i) => {
    if (outcome.ok) findings.push(...outcome.value);
    else io.err(renderDiagnostics(outcome.error, { color: io.color, form: 'line' }), `${targets[i]}: not linted: fix the errors above ('runbook validate')`);
  });
  for (const f of findings) io.out(formatFinding(f));
  io.out(lintSummary(findings, outcomes.filter((o) => o.ok).length));
  if (outcomes.some((o) => !o.ok)) return EXIT.usage;
  return findings.some((f) => f.waived === undefined && f.severity === 'error') ? EXIT.failed : EXIT.ok;
}
