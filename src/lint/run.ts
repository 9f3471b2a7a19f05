import type { Runbook } from '../runbook/types.js';
import { RULES, WAIVER_RULES } from './registry.js';
import type { LintFinding, LintReport, LintRule, RuleFinding } from './types.js';

/** A rule finding placed in the file, with the step's waiver applied. */
function place(runbook: Runbook, rule: Pick<LintRule, 'id' | 'severity'>, f: RuleFinding): LintFinding {
  const position = f.at === 'key' ? runbook.source.positionOf(f.path) : runbook.source.valuePositionOf(f.path);
  const step = f.step === undefined ? undefined : runbook.steps[f.step];
  const waived = step?.waive?.[rule.id];
  return {
    rule: rule.id,
    severity: rule.severity,
    message: f.message,
    path: f.path,
    file: position.file,
    line: position.line,
    column: position.column,
    ...(step === undefined ? {} : { step: step.id }),
    ...(waived === undefined ? {} : { waived }),
  };
}

/** Waivers naming no rule, or a rule that found nothing on their step. */
function waiverFindings(runbook: Runbook, rules: readonly LintRule[], fired: readonly LintFinding[]): LintFinding[] {
  const ids = new Set(rules.map((r) => r.id));
  return runbook.steps.flatMap((step, index) =>
    Object.keys(step.waive ?? {}).flatMap((id) => {
      const path = `steps[${index}].waive.${id}`;
      if (!ids.has(id)) {
        const message = `step '${step.id}' waives unknown rule '${id}' (rules: ${[...ids].join(', ')})`;
        return [place(runbook, WAIVER_RULES.unknown, { path, message, at: 'key' })];
      }
      if (fired.some((f) => f.rule === id && f.step === step.id)) return [];
      return [place(runbook, WAIVER_RULES.unused, { path, message: `step '${step.id}' waives '${id}', which finds nothing here`, at: 'key' })];
    }),
  );
}

/** Runs every rule on a validated runbook; findings in file order, waived ones included. */
export function lintRunbook(runbook: Runbook, rules: readonly LintRule[] = RULES): LintReport {
  const fired = rules.flatMap((rule) => rule.check(runbook).map((f) => place(runbook, rule, f)));
  const findings = [...fired, ...waiverFindings(runbook, rules, fired)];
  findings.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
  return { file: runbook.source.file, findings };
}

/** Findings that count: not waived. */
export function activeFindings(report: LintReport): LintFinding[] {
  return report.findings.filter((f) => f.waived === undefined);
}
