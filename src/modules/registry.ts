import { copyModule } from './copy.js';
import { fileModule } from './file.js';
import type { ModuleRegistry } from './module.js';
import { runModule } from './run.js';
import { serviceModule } from './service.js';

/** The modules a runbook can use, by the step key that selects them. */
export function builtinModules(): ModuleRegistry {
  return new Map<string, (typeof runModule | typeof serviceModule | typeof fileModule | typeof copyModule)>([
    ['run', runModule],
    ['service', serviceModule],
    ['file', fileModule],
    ['copy', copyModule],
  ]) as ModuleRegistry;
}
