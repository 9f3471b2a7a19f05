import { destructiveParts } from '../lint/shell.js';
import type { Step } from '../runbook/types.js';
import { hostsWidened } from './hosts.js';
import type { RiskFlag } from './types.js';

function hasCheck(step: Step): boolean {
  const a = step.action.args;
  return step.action.module !== 'run' || a.check !== undefined || a.creates !== undefined || a.removes !== undefined;
}

/** A module restores what it found; a `run` step only with a rollback command. */
function hasRollback(step: Step): boolean {
  return step.action.module !== 'run' || typeof step.action.args.rollback === 'string';
}

function irreversible(step: Step): string | undefined {
  const why = step.action.args.irreversible;
  return step.action.module === 'run' && typeof why === 'string' ? why : undefined;
}

function destructive(step: Step | undefined): string[] {
  if (step === undefined || step.action.module !== 'run' || typeof step.action.args.run !== 'string') return [];
  const creates = step.action.args.creates;
  return destructiveParts(step.action.args.run, typeof creates === 'string' ? creates : undefined);
}

/** Flags of a step that exists in the new version; `old` is absent for an added step. */
export function stepRisks(old: Step | undefined, step: Step): RiskFlag[] {
  const id = step.id;
  const flags: RiskFlag[] = [];
  const flag = (kind: RiskFlag['kind'], message: string): number => flags.push({ kind, step: id, message });
  if (old !== undefined && hasRollback(old) && !hasRollback(step)) {
    flag('rollback-removed', `step '${id}' can no longer be undone${irreversible(step) ? ` (now irreversible: ${irreversible(step)})` : ''}`);
  }
  if (old !== undefined && hasCheck(old) && !hasCheck(step)) flag('check-removed', `step '${id}' lost its idempotence check: it runs again on every rerun`);
  if (old?.confirm !== undefined && step.confirm === undefined) flag('confirm-removed', `step '${id}' no longer asks "${old.confirm}"`);
  if (old !== undefined && hostsWidened(old.hosts, step.hosts)) flag('hosts-widened', `step '${id}' runs on '${step.hosts}' (was '${old.hosts}')`);
  const why = irreversible(step);
  if (why !== undefined && (old === undefined || irreversible(old) === undefined)) {
    flag('irreversible-added', `${old === undefined ? 'new ' : ''}step '${id}' is irreversible: ${why}`);
  }
  const before = new Set(destructive(old));
  const added = destructive(step).filter((d) => !before.has(d));
  if (added.length > 0) flag('destructive-added', `step '${id}' runs a destructive command: ${added.join(', ')}${step.confirm ? '' : ', without confirm'}`);
  for (const [rule, reason] of Object.entries(step.waive ?? {})) {
    if (old?.waive?.[rule] === undefined) flag('waiver-added', `step '${id}' waives ${rule}: ${reason}`);
  }
  return flags;
}
