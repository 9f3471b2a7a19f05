import { readFile } from 'node:fs/promises';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { formatFinding, lintSummary } from '../lint/format.js';
import { lintRunbook } from '../lint/run.js';
import type { LintFinding } from '../lint/types.js';
import { parseRunbook } from '../runbook/load.js';
import { type CommandIO, EXIT } from '../app/io.js';
import { runbookFiles } from './runbook-files.js';

/** One file's outcome: its findings, or the validation errors that kept it from being linted. */
type FileOutcome = { ok: true; findings: LintFinding[] } | { ok: false; lines: string[] };

async function lintFile(file: string): Promise<FileOutcome> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, lines: [`${file}: error: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`] };
  }
  const parsed = parseRunbook(file, text);
  if (!parsed.ok) return { ok: false, lines: [...parsed.diagnostics.map(formatDiagnostic), `${file}: not linted: fix the errors above ('runbook validate')`] };
  return { ok: true, findings: lintRunbook(parsed.runbook).findings };
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
  for (const outcome of outcomes) {
    if (!outcome.ok) io.err(...outcome.lines);
    else findings.push(...outcome.findings);
  }
  for (const f of findings) io.out(formatFinding(f));
  io.out(lintSummary(findings, outcomes.filter((o) => o.ok).length));
  if (outcomes.some((o) => !o.ok)) return EXIT.usage;
  return findings.some((f) => f.waived === undefined && f.severity === 'error') ? EXIT.failed : EXIT.ok;
}
