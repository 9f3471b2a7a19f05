import { moduleNamed } from '../modules/registry.js';
import type { Step } from '../runbook/types.js';
import { stableJson } from './text.js';
import { formatDuration } from '../runbook/duration.js';
import type { StepField } from './types.js';

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** How the step knows it is already done. */
function checkOf(step: Step): string | undefined {
  const a = step.action.args;
  const authored = moduleNamed(step.action.module)?.authored;
  if (authored === undefined) return `built into ${step.action.module}`;
  for (const key of authored.checks) if (typeof a[key] === 'string') return `${key}: ${a[key]}`;
  return undefined;
}

/** How the step is undone; irreversible is its own kind of answer. */
function rollbackOf(step: Step): string | undefined {
  const a = step.action.args;
  const authored = moduleNamed(step.action.module)?.authored;
  if (authored === undefined) return `built into ${step.action.module}`;
  const [rollback, irreversible] = [a[authored.rollback], a[authored.irreversible]];
  if (typeof rollback === 'string') return rollback;
  if (typeof irreversible === 'string') return `irreversible: ${irreversible}`;
  return undefined;
}

/** A step's attributes as comparable strings; undefined where the step has none. */
export function stepFields(step: Step): Record<StepField, string | undefined> {
  // A module's arguments compare as a whole; the keys an author writes for run, one by one.
  const authored = moduleNamed(step.action.module)?.authored;
  const a = step.action.args;
  return {
    name: step.name,
    action: step.action.module,
    command: authored === undefined ? undefined : str(a[authored.command]),
    args: authored === undefined ? stableJson(a) : undefined,
    hosts: step.hosts,
    check: checkOf(step),
    verify: authored?.verify === undefined ? undefined : str(a[authored.verify]),
    rollback: rollbackOf(step),
    timeout: step.timeoutMs === undefined ? undefined : formatDuration(step.timeoutMs),
    retries: step.retries.attempts > 1 ? `${step.retries.attempts} attempts, ${formatDuration(step.retries.delayMs)} apart` : undefined,
    when: step.when,
    loop: step.loop === undefined ? undefined : typeof step.loop === 'string' ? step.loop : stableJson(step.loop),
    run_once: step.runOnce ? 'true' : undefined,
    serial: step.serial === undefined ? undefined : String(step.serial),
    become: step.become ? 'true' : undefined,
    env: Object.keys(step.env).length === 0 ? undefined : stableJson(step.env),
    cwd: step.cwd,
    register: step.register,
    confirm: step.confirm,
    on_failure: step.onFailure === 'rollback' ? undefined : step.onFailure,
    waive: step.waive === undefined ? undefined : stableJson(step.waive),
  };
}
