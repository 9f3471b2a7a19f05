import { posix } from 'node:path';
import type { ModuleContext } from './module.js';

/**
 * Where a module keeps the previous version of a path until the run ends: a hidden sibling,
 * so that moving it back is a rename on the same filesystem, named by run and task so two
 * runs or two steps never collide.
 */
export function asidePath(ctx: ModuleContext, path: string): string {
  return posix.join(posix.dirname(path), `.${posix.basename(path)}.runbook-${ctx.runId}-${ctx.taskKey}`);
}
