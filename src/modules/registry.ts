import { COMMON_STEP_KEYS } from '../runbook/raw.js';
import { archiveModule } from './archive.js';
import { assertModule } from './assert.js';
import { catalogModule } from './catalog.js';
import { copyModule } from './copy.js';
import type { ModuleDefinition, StepArgs } from './definition.js';
import { extractModule } from './extract.js';
import { fileModule } from './file.js';
import type { ModuleRegistry } from './module.js';
import { probeModule } from './probe.js';
import { retentionModule } from './retention.js';
import { runModule } from './run.js';
import { serviceModule } from './service.js';
import { templateModule } from './template.js';
import { transferModule } from './transfer.js';
import { waitForModule } from './wait-for.js';

/**
 * A definition as the rest of the program holds it, its own Args and Prior out of sight. No
 * cast: every Args is a StepArgs, and TypeScript compares method parameters both ways. What
 * makes that sound is the one path args take: the loader gets them from this definition's
 * `load`, the engine renders their strings (same shape) and hands them back to the same
 * definition with the prior its own check returned.
 */
export type RegisteredModule = ModuleDefinition<StepArgs, unknown>;

function registered<Args extends StepArgs, Prior>(definition: ModuleDefinition<Args, Prior>): RegisteredModule {
  return definition;
}

/**
 * Every module a runbook can use, in the order messages and the schema list them: `run` first
 * (a step without a module key is a run), then the other actions.
 */
export const MODULES: readonly RegisteredModule[] = [
  registered(runModule),
  registered(probeModule),
  registered(serviceModule),
  registered(fileModule),
  registered(copyModule),
  registered(templateModule),
  registered(archiveModule),
  registered(extractModule),
  registered(transferModule),
  registered(waitForModule),
  registered(assertModule),
  registered(catalogModule),
  registered(retentionModule),
];

const BY_NAME: ReadonlyMap<string, RegisteredModule> = new Map(MODULES.map((m) => [m.name, m]));

/** The module a step key selects, if any. */
export function moduleNamed(name: string): RegisteredModule | undefined {
  return BY_NAME.get(name);
}

/** Step keys that select an action, in the order messages list them. */
export const ACTION_KEYS: readonly string[] = MODULES.map((m) => m.name);

/** Whether the action's arguments are keys of the step itself (run, probe) rather than a mapping of its own. */
export function isCommandAction(action: string): boolean {
  return BY_NAME.get(action)?.stepKeys !== undefined;
}

/** Keys of the step that belong to actions, each with the actions that take it, in declaration order. */
export function actionStepKeys(): Map<string, RegisteredModule[]> {
  const keys = new Map<string, RegisteredModule[]>();
  for (const module of MODULES) {
    for (const key of Object.keys(module.stepKeys ?? {})) keys.set(key, [...(keys.get(key) ?? []), module]);
  }
  return keys;
}

/** The modules a run can use, by the step key that selects them. */
export function builtinModules(): ModuleRegistry {
  return new Map(MODULES.map((m) => [m.name, m]));
}

/** Every key a step may have: the common ones, the action keys and the actions' step keys; the schema's step properties. */
export const STEP_KEYS: readonly string[] = [...COMMON_STEP_KEYS, ...ACTION_KEYS, ...actionStepKeys().keys()];
