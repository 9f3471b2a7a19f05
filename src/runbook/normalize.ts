import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PositionedYaml } from '../diagnostics/yaml.js';
import { parseDuration } from './duration.js';
import { ACTION_KEYS, type RawRunbook, type RawStep, RUN_COMPANIONS } from './raw.js';
import type { Runbook, RunbookSource, SecretSource, Step, StepAction } from './types.js';

/** A checked runbook in the engine's terms: defaults applied, durations in ms, one action. */
export function normalizeRunbook(raw: RawRunbook, yaml: PositionedYaml, source: RunbookSource): Runbook {
  const hosts = raw.hosts ?? 'all';
  return {
    apiVersion: raw.apiVersion,
    name: raw.name,
    version: raw.version,
    description: raw.description ?? '',
    hosts,
    params: raw.params ?? {},
    vars: raw.vars ?? {},
    secrets: Object.fromEntries(Object.entries(raw.secrets ?? {}).map(([k, s]) => [k, (s.env !== undefined ? { env: s.env } : { file: s.file ?? '' }) as SecretSource])),
    steps: raw.steps.map((step, index) => normalizeStep(step, hosts, yaml.positionOf(`steps[${index}]`), dirname(source.file))),
    source,
  };
}

function normalizeStep(raw: RawStep, defaultHosts: string, position: Step['position'], runbookDir: string): Step {
  const step: Step = {
    id: raw.id,
    name: raw.name ?? raw.id,
    hosts: raw.hosts ?? defaultHosts,
    runOnce: raw.run_once ?? false,
    become: raw.become ?? false,
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
  return step;
}

function actionOf(raw: RawStep, runbookDir: string): StepAction {
  const key = ACTION_KEYS.find((k) => raw[k] !== undefined) ?? 'run';
  if (key === 'copy') return { module: key, args: copyArgs(raw[key] as Record<string, unknown>, runbookDir) };
  if (key !== 'run') return { module: key, args: { ...(raw[key] as Record<string, unknown>) } };
  const args: Record<string, unknown> = { run: raw.run };
  for (const companion of RUN_COMPANIONS) if (raw[companion] !== undefined) args[companion] = raw[companion];
  return { module: 'run', args };
}

/**
 * `copy.src` names a file on the control node, relative to the runbook: read it now, so the
 * module only ever deals with content (and a missing file fails validation, not the run).
 */
function copyArgs(args: Record<string, unknown>, runbookDir: string): Record<string, unknown> {
  const { src, ...rest } = args;
  if (typeof src !== 'string') return rest;
  return { ...rest, content: readFileSync(resolve(runbookDir, src), 'utf8') };
}
