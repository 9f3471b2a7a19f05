import { dirname } from 'node:path';
import type { SourcePosition } from '../diagnostics/diagnostic.js';
import { actionOf } from './action.js';
import { parseDuration } from './duration.js';
import type { RawRunbook, RawStep } from './raw.js';
import type { Runbook, RunbookSource, SecretSource, Step } from './types.js';

/** The host pattern of a runbook without `hosts:`, and so of its steps without one. */
export const DEFAULT_HOSTS = 'all';

/**
 * A checked runbook in the engine's terms: defaults applied (hosts `all`, name = id, one
 * attempt, on_failure rollback), durations in milliseconds, exactly one action.
 */
export function normalizeRunbook(raw: RawRunbook, source: RunbookSource): Runbook {
  const hosts = raw.hosts ?? DEFAULT_HOSTS;
  const runbookDir = dirname(source.file);
  return {
    apiVersion: raw.apiVersion,
    name: raw.name,
    version: raw.version,
    description: raw.description ?? '',
    hosts,
    params: raw.params ?? {},
    vars: raw.vars ?? {},
    secrets: Object.fromEntries(Object.entries(raw.secrets ?? {}).map(([name, s]) => [name, secretSource(s)])),
    steps: raw.steps.map((step, index) => normalizeStep(step, hosts, source.positionOf(`steps[${index}]`), runbookDir)),
    source,
  };
}

function secretSource(secret: { env?: string; file?: string; optional?: boolean }): SecretSource {
  const source: SecretSource = secret.env !== undefined ? { env: secret.env } : { file: secret.file ?? '' };
  return secret.optional === true ? { ...source, optional: true } : source;
}

function normalizeStep(raw: RawStep, defaultHosts: string, position: SourcePosition, runbookDir: string): Step {
  const step: Step = {
    id: raw.id,
    name: raw.name ?? raw.id,
    hosts: raw.hosts ?? defaultHosts,
    runOnce: raw.run_once ?? false,
    become: raw.become ?? false,
    // Numbers and booleans in env are what the shell would see anyway: their text.
    env: Object.fromEntries(Object.entries(raw.env ?? {}).map(([k, v]) => [k, String(v)])),
    retries: { attempts: raw.retries?.attempts ?? 1, delayMs: raw.retries?.delay === undefined ? 0 : (parseDuration(raw.retries.delay) ?? 0) },
    onFailure: raw.on_failure ?? 'rollback',
    action: actionOf(raw, runbookDir),
    position,
  };
  if (raw.when !== undefined) step.when = String(raw.when);
  if (raw.loop !== undefined) step.loop = raw.loop;
  if (raw.serial !== undefined) step.serial = raw.serial;
  if (raw.cwd !== undefined) step.cwd = raw.cwd;
  if (raw.timeout !== undefined) step.timeoutMs = parseDuration(raw.timeout);
  if (raw.register !== undefined) step.register = raw.register;
  if (raw.confirm !== undefined) step.confirm = raw.confirm;
  if (raw.phase !== undefined) step.phase = raw.phase;
  if (raw.waive !== undefined) step.waive = { ...raw.waive };
  return step;
}
