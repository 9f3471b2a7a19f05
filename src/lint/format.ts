import type { LintFinding } from './types.js';

/**
 * `file:line:col: error: message [rule-id]`, the diagnostic format of validate with the rule's
 * id; a waived finding says `waived` and the reason, so it shows in the review.
 */
export function formatFinding(f: LintFinding): string {
  const where = `${f.file}:${f.line}:${f.column}`;
  if (f.waived !== undefined) return `${where}: waived: ${f.message} [${f.rule}]: ${f.waived}`;
  return `${where}: ${f.severity}: ${f.message} [${f.rule}]`;
}

/** Counts for the last line of the output. */
export function lintSummary(findings: readonly LintFinding[], files: number): string {
  const count = (p: (f: LintFinding) => boolean): number => findings.filter(p).length;
  const errors = count((f) => f.waived === undefined && f.severity === 'error');
  const warnings = count((f) => f.waived === undefined && f.severity === 'warning');
  const waived = count((f) => f.waived !== undefined);
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(files, 'runbook')} linted: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${waived} waived`;
}
