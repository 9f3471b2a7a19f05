import type { Runbook } from '../runbook/types.js';
import { breakingParamChange, diffParams } from './params.js';
import { stepRisks } from './risk.js';
import { diffSteps } from './steps.js';
import { recordChanges, stableJson } from './text.js';
import type { BumpLevel, FieldChange, ParamDiff, RiskFlag, RunbookDiff, StepDiff } from './types.js';
import { judgeVersion, maxLevel, verdictProblem } from './version.js';

/** Risks that change what the runbook does to hosts: each needs at least a minor bump. */
const MINOR_RISKS: ReadonlySet<RiskFlag['kind']> = new Set(['rollback-removed', 'check-removed', 'confirm-removed', 'hosts-widened', 'irreversible-added', 'destructive-added']);

function runbookFields(rb: Runbook): Record<string, string | undefined> {
  const entries = (prefix: string, record: Record<string, unknown>): [string, string][] => Object.entries(record).map(([k, v]) => [`${prefix}.${k}`, stableJson(v)]);
  return { description: rb.description.trim(), hosts: rb.hosts, ...Object.fromEntries([...entries('vars', rb.vars), ...entries('secrets', rb.secrets)]) };
}

/** The least bump and its reasons: minor for what changes behaviour on hosts or breaks callers, patch for the rest. */
function requiredBump(steps: StepDiff[], params: ParamDiff[], flags: RiskFlag[], others: FieldChange[], textChanged: boolean): { level: BumpLevel; reasons: string[] } {
  const minor = [
    ...steps.filter((s) => s.status !== 'changed').map((s) => `step '${s.id}' ${s.status}`),
    ...steps.filter((s) => s.moved).map((s) => `step '${s.id}' moved`),
    ...params.flatMap((p) => breakingParamChange(p) ?? (p.status === 'added' ? [`param '${p.name}' added`] : [])),
    ...flags.filter((f) => MINOR_RISKS.has(f.kind)).map((f) => f.message),
  ];
  if (minor.length > 0) return { level: 'minor', reasons: minor };
  const patch = [...steps.map((s) => `step '${s.id}' changed`), ...params.map((p) => `param '${p.name}' changed`), ...others.map((c) => `${c.field} changed`)];
  if (patch.length === 0 && textChanged) patch.push('the file changed (comments or layout)');
  return { level: patch.length > 0 ? 'patch' : 'none', reasons: patch };
}

function versionFlag(diff: RunbookDiff): RiskFlag[] {
  const v = diff.version;
  if (v === undefined || v.ok) return [];
  return [{ kind: v.made === 'none' ? 'version-not-bumped' : 'version-bumped-wrongly', message: verdictProblem(v) }];
}

/**
 * The semantic diff of two versions of a runbook, keyed by step id. `textChanged` says whether
 * the files differ at all (a comment-only change still needs a patch bump: SPEC bumps on every change).
 */
export function diffRunbooks(old: Runbook | undefined, next: Runbook | undefined, textChanged = true): RunbookDiff {
  const name = next?.name ?? old?.name ?? '';
  const base = { name, ...(old ? { oldVersion: old.version } : {}), ...(next ? { newVersion: next.version } : {}) };
  const steps = diffSteps(old?.steps ?? [], next?.steps ?? []);
  const params = diffParams(old?.params ?? {}, next?.params ?? {});
  if (old === undefined || next === undefined) {
    const flags = next === undefined ? [] : next.steps.flatMap((s) => stepRisks(undefined, s));
    return { ...base, status: old === undefined ? 'added' : 'removed', runbook: [], params, steps, flags };
  }
  const oldSteps = new Map(old.steps.map((s) => [s.id, s]));
  const flags = next.steps.flatMap((s) => stepRisks(oldSteps.get(s.id), s));
  const runbook = recordChanges(runbookFields(old), runbookFields(next));
  const { level, reasons } = requiredBump(steps, params, flags, runbook, textChanged);
  const version = judgeVersion(old.version, next.version, level, reasons);
  const changed = level !== 'none' || old.version !== next.version;
  const diff: RunbookDiff = { ...base, status: changed ? 'changed' : 'unchanged', runbook, params, steps, flags, version };
  return { ...diff, flags: [...versionFlag(diff), ...flags] };
}
