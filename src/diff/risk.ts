import { destructiveParts } from '../lint/shell.js';
import { moduleNamed } from '../modules/registry.js';
import type { Step } from '../runbook/types.js';
import { hostsWidened } from './hosts.js';
import type { RiskFlag } from './types.js';

/** What the author writes for the step's module in place of a check and a rollback (run's), if anything. */
const authoredOf = (step: Step) => moduleNamed(step.action.module)?.authored;

function hasCheck(step: Step): boolean {
  const authored = authoredOf(step);
  return authored === undefined || authored.checks.some((key) => step.action.args[key] !== undefined);
}

/** A module restores what it found; a `run` step only with a rollback command. */
function hasRollback(step: Step): boolean {
  const authored = authoredOf(step);
  return authored === undefined || typeof step.action.args[authored.rollback] === 'string';
}

function irreversible(step: Step): string | undefined {
  return moduleNamed(step.action.module)?.irreversible?.(step.action.args);
}

function destructive(step: Step | undefined): string[] {
  const authored = step === undefined ? undefined : authoredOf(step);
  const command = authored === undefined ? undefined : step?.action.args[authored.command];
  if (step === undefined || authored === undefined || typeof command !== 'string') return [];
  const creates = authored.creates === undefined ? undefined : step.action.args[authored.creates];
  return destructiveParts(command, typeof creates === 'string' ? creates : undefined);
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
