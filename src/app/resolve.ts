import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * A name means `<folder>/<name>.yaml` (or `.yml`) under the working directory; anything with a
 * slash or a .yaml/.yml ending is a path.
 */
function resolveNamedFile(nameOrPath: string, cwd: string, folder: string): string {
  if (nameOrPath.includes('/') || /\.ya?ml$/.test(nameOrPath)) return isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath);
  for (const ext of ['.yaml', '.yml']) {
    const candidate = join(cwd, folder, `${nameOrPath}${ext}`);
    if (existsSync(candidate)) return candidate;
  }
  return join(cwd, folder, `${nameOrPath}.yaml`);
}

/** `recover-nova` means runbooks/recover-nova.yaml under the working directory. */
export function resolveRunbookFile(nameOrPath: string, cwd: string): string {
  return resolveNamedFile(nameOrPath, cwd, 'runbooks');
}

/** `nova-db-loss` means drills/nova-db-loss.yaml under the working directory. */
export function resolveDrillFile(nameOrPath: string, cwd: string): string {
  return resolveNamedFile(nameOrPath, cwd, 'drills');
}
