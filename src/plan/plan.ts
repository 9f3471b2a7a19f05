import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { type Result, fail, ok } from '../diagnostics/result.js';
import { selectHosts } from '../inventory/pattern.js';
import type { Host, Inventory } from '../inventory/types.js';
import type { Runbook } from '../runbook/types.js';
import { type ParamInput, resolveParams } from './params.js';
import { checkTemplateReferences } from './references.js';
import { type ReachRules, reachedHosts } from './reached.js';
import type { Plan, PlannedStep } from './types.js';

export interface PlanOptions {
  /** `--param key=value` assignments, as typed, or typed values. */
  params?: ParamInput;
  /** `--limit` pattern. */
  limit?: string;
  /** `--start-at` step id: earlier steps are planned but skipped. */
  startAt?: string;
  /** Typed values from an earlier run (`--resume`); `params` assignments override them. */
  previousParams?: Record<string, unknown>;
  /** How to find the hosts that modules reach (reached.ts); without it, only the steps' hosts are touched. */
  reach?: ReachRules;
}

/**
 * Runbook x Inventory -> Plan, without I/O: resolves params, each step's hosts (pattern,
 * --limit, run_once) and the hosts their modules reach, and checks what can only be checked
 * against an inventory: host patterns that match nothing, template variables that will not
 * exist, reached hosts that are not in the inventory.
 */
export function buildPlan(runbook: Runbook, inventory: Inventory, options: PlanOptions = {}): Result<Plan> {
  const diagnostics: Diagnostic[] = [...checkTemplateReferences(runbook)];
  const params = resolveParams(runbook.params, options.params ?? {}, options.previousParams);
  if (!params.ok) {
    for (const problem of params.error) diagnostics.push({ severity: 'error', file: '--param', message: problem.message });
  }
  const limit = options.limit === undefined ? undefined : hostsOrDiagnostic(inventory, options.limit, '--limit', diagnostics);
  const startIndex = options.startAt === undefined ? 0 : runbook.steps.findIndex((s) => s.id === options.startAt);
  if (startIndex < 0) {
    const ids = runbook.steps.map((s) => s.id).join(', ');
    diagnostics.push({ severity: 'error', file: '--start-at', message: `no step '${options.startAt}' in ${runbook.name} (steps: ${ids})` });
  }

  const steps: PlannedStep[] = runbook.steps.map((step, index) => {
    const where = runbook.source.valuePositionOf(`steps[${index}].hosts`);
    const matched = hostsOrDiagnostic(inventory, step.hosts, `steps[${index}].hosts`, diagnostics, where);
    let hosts = limit ? matched.filter((h) => limit.includes(h)) : matched;
    if (step.runOnce) hosts = hosts.slice(0, 1);
    const planned: PlannedStep = { step, index, hosts };
    if (index < startIndex) planned.skipReason = `before --start-at ${options.startAt}`;
    else if (hosts.length === 0) planned.skipReason = '--limit excludes every host of this step';
    return planned;
  });

  if (diagnostics.length > 0 || !params.ok) return fail(diagnostics);
  const used = new Set(steps.filter((s) => !s.skipReason).flatMap((s) => s.hosts));
  const reached = options.reach ? reachedHosts(runbook, inventory, steps, params.value, options.reach) : { hosts: new Set<Host>(), diagnostics: [] };
  if (reached.diagnostics.length > 0) return fail(reached.diagnostics);
  const hosts = inventory.hosts.filter((h) => used.has(h));
  const touchedHosts = inventory.hosts.filter((h) => used.has(h) || reached.hosts.has(h));
  return ok({ runbook, inventory, params: params.value, steps, hosts, touchedHosts, lockHost: hosts[0] });
}

/** Selects hosts; an unknown name or an empty match becomes a diagnostic at the pattern. */
function hostsOrDiagnostic(
  inventory: Inventory,
  pattern: string,
  path: string,
  diagnostics: Diagnostic[],
  position?: { file: string; line: number; column: number },
): Host[] {
  const at = position ?? { file: path };
  try {
    const hosts = selectHosts(inventory, pattern);
    if (hosts.length === 0) {
      diagnostics.push({ severity: 'error', ...at, path, message: `host pattern '${pattern}' matches no host of ${inventory.file}` });
    }
    return hosts;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    diagnostics.push({ severity: 'error', ...at, path, message: `host pattern '${pattern}': ${reason} (inventory ${inventory.file})` });
    return [];
  }
}
