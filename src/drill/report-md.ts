import { formatMs } from './measure.js';
import type { DrillReport, RunRecord } from './report-model.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
const table = (head: readonly string[], rows: readonly (readonly string[])[]): string[] =>
  rows.length === 0 ? ['(none)'] : [row(head), row(head.map(() => '---')), ...rows.map(row)];
const yes = (ok: boolean): string => (ok ? 'met' : '**MISSED**');

/** report.md: what an auditor reads. Pure: the JSON report in, markdown out. */
export function renderReportMarkdown(r: DrillReport): string {
  return [
    ...summary(r),
    ...objectives(r),
    ...loss(r),
    ...verification(r),
    ...timeline(r),
    ...runs(r),
    ...r.runs.flatMap(phaseTimings),
    ...r.runs.flatMap(stepTimings),
  ].join('\n').concat('\n');
}

function summary(r: DrillReport): string[] {
  return [
    `# Drill ${r.drill.name} ${r.drill.version}: ${r.outcome.toUpperCase()}`,
    '',
    r.drill.description.trim(),
    '',
    `- drill id: ${r.id}, exit code ${r.exitCode}`,
    `- started ${r.started}, finished ${r.finished}, by ${r.operator}`,
    `- drill file: ${r.drill.file} (sha256 ${r.drill.sha256})`,
    `- inventory: ${r.inventory.file} (sha256 ${r.inventory.sha256})${r.lab ? `; lab in ${r.lab}` : ''}`,
    `- fault: ${r.faults.length === 0 ? 'not injected' : r.faults.join('; ')}`,
    `- recovery: expected ${r.recovery.expect}, got ${r.recovery.outcome ?? 'no run'}${r.recovery.exitCode === undefined ? '' : ` (exit ${r.recovery.exitCode})`}: ${r.recovery.asExpected ? 'as expected' : '**not as expected**'}`,
    '',
  ];
}

function objectives(r: DrillReport): string[] {
  const { rto, rpo } = r.objectives;
  return [
    '## Objectives',
    '',
    ...table(['objective', 'target', 'measured', 'result', 'how'], [
      ['RTO (start of recovery to verified health)', rto.objective, formatMs(rto.measuredMs), yes(rto.met), rto.why],
      ['RPO (backup age at the fault)', rpo.objective, formatMs(rpo.measuredMs), yes(rpo.met), rpo.why],
    ]),
    '',
  ];
}

const lostBeforeBackup = (r: DrillReport): DrillReport['markers'] => r.markers.filter((k) => k.fate === 'lost' && k.stage === 'before-backup');
const expectedLost = (r: DrillReport): number => lostBeforeBackup(r).length;
const expectedLostNames = (r: DrillReport): string => [...new Set(lostBeforeBackup(r).map((k) => k.write))].join(', ');

function loss(r: DrillReport): string[] {
  const m = r.measured;
  return [
    '## Recovery point: what was lost',
    '',
    `Backup taken ${m.backupAt ?? '-'}; fault at ${m.faultAt ?? '-'}; the backup was ${formatMs(m.backupAgeMs)} old at the fault.`,
    `Markers written before the backup: ${m.restored} back, ${m.missing} missing. Written after it: ${m.lost - expectedLost(r)} lost, ${m.survived} survived.`,
    ...(expectedLost(r) > 0 ? [`Lost whatever the backup, as the drill shows (expect: lost): ${expectedLostNames(r)}.`] : []),
    ...((m.unexpected ?? 0) > 0 ? [`Back although the drill says they are lost: ${m.unexpected ?? 0}. The drill's claim does not hold.`] : []),
    '',
    ...table(['marker', 'written', 'where', 'host', 'value', 'after the recovery'], r.markers.map((k) => [k.write, `${k.stage} ${k.writtenAt}`, k.where, k.host, k.value, k.fate])),
    '',
  ];
}

function verification(r: DrillReport): string[] {
  const v = r.verification;
  return [
    `## Verification: ${v.passed ? 'passed' : '**FAILED**'}`,
    '',
    ...table(['check', 'result', 'detail'], v.checks.map((c) => [c.check, c.ok ? 'ok' : '**FAILED**', c.detail])),
    '',
    ...(v.faultDiff.length > 0 ? ['What the fault changed (fingerprint before the fault -> before the recovery):', '', ...v.faultDiff.slice(0, 40).map((d) => `- ${d}`), ...(v.faultDiff.length > 40 ? [`- ... ${v.faultDiff.length - 40} more`] : []), ''] : []),
    ...(v.fingerprintDiff.length > 0 ? ['Differences left after the recovery:', '', ...v.fingerprintDiff.slice(0, 40).map((d) => `- ${d}`), ''] : []),
  ];
}

function timeline(r: DrillReport): string[] {
  return ['## Timeline', '', ...table(['phase', 'started', 'duration', 'result', 'detail'], r.timeline.map((p) => [p.phase, p.started, formatMs(p.durationMs), p.ok ? 'ok' : '**FAILED**', p.detail.join('; ')])), ''];
}

function runs(r: DrillReport): string[] {
  return [
    '## Runbooks used',
    '',
    ...table(['role', 'runbook', 'version', 'sha256', 'run', 'outcome', 'duration', 'journal'], r.runs.map((x) => [
      x.role, x.runbook, x.version || '-', x.sha256 || '-', x.runId || '-', `${x.outcome} (exit ${x.exitCode})${x.rollback.started ? `, rollback ${x.rollback.complete ? 'complete' : 'INCOMPLETE'} (${x.rollback.tasks} undone)` : ''}`,
      formatMs(x.durationMs), x.journal ? `[${x.runId}.jsonl](${x.journal})` : '-',
    ])),
    '',
  ];
}

function phaseTimings(x: RunRecord): string[] {
  if (x.phases.length === 0) return [];
  return [
    `### ${x.role}: ${x.runbook} (run ${x.runId}), where the time went`,
    '',
    ...table(['phase', 'steps', 'duration', 'share'], x.phases.map((p) => [p.phase, String(p.steps), formatMs(p.durationMs), x.durationMs > 0 ? `${Math.round((p.durationMs / x.durationMs) * 100)}%` : '-'])),
    '',
  ];
}

function stepTimings(x: RunRecord): string[] {
  if (x.steps.length === 0) return [];
  return [
    `### ${x.role}: ${x.runbook} (run ${x.runId}), per step and host`,
    '',
    ...table(['step', 'host', 'item', 'status', 'duration'], x.steps.map((s) => [s.step, s.host, s.itemIndex === undefined ? '' : String(s.itemIndex), s.status, formatMs(s.durationMs)])),
    '',
  ];
}
