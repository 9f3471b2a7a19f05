import { archiveModule } from './archive.js';
import { assertModule } from './assert.js';
import { catalogModule } from './catalog.js';
import { copyModule } from './copy.js';
import { extractModule } from './extract.js';
import { fileModule } from './file.js';
import type { ModuleRegistry, StepModule } from './module.js';
import { probeModule } from './probe.js';
import { retentionModule } from './retention.js';
import { runModule } from './run.js';
import { serviceModule } from './service.js';
import { templateModule } from './template.js';
import { transferModule } from './transfer.js';
import { waitForModule } from './wait-for.js';

/** The modules a runbook can use, by the step key that selects them. */
export function builtinModules(): ModuleRegistry {
  const modules: [string, StepModule<any, any>][] = [
    ['run', runModule],
    ['service', serviceModule],
    ['file', fileModule],
    ['copy', copyModule],
    ['template', templateModule],
    ['archive', archiveModule],
    ['extract', extractModule],
    ['transfer', transferModule],
    ['wait_for', waitForModule],
    ['assert', assertModule],
    ['retention', retentionModule],
    ['probe', probeModule],
    ['catalog', catalogModule],
  ];
  return new Map(modules);
}
