import { ACTION_KEYS, moduleNamed } from '../modules/registry.js';
import type { RawStep } from './raw.js';
import type { StepAction } from './types.js';

/** A checked step's one action, with its arguments as its module's definition loads them. */
export function actionOf(raw: RawStep, runbookDir: string): StepAction {
  // The step rules made sure a checked step has exactly one action.
  const name = ACTION_KEYS.find((k) => raw[k] !== undefined) ?? '';
  const module = moduleNamed(name);
  if (module === undefined) throw new Error(`step '${raw.id}' has no action of the registry`);
  return { module: name, args: module.load({ value: raw[name], step: raw, runbookDir }) };
}
