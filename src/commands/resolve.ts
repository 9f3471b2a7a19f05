import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * `recover-nova` means runbooks/recover-nova.yaml under the working directory; anything with a
 * slash or a .yaml/.yml ending is a path.
 */
export function resolveRunbookFile(nameOrPath: string, cwd: string): string {
  if (nameOrPath.includes('/') || /\.ya?ml$/.test(nameOrPath)) return isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath);
  for (const ext of ['.yaml', '.yml']) {
    const candidate = join(cwd, 'runbooks', `${nameOrPath}${ext}`);
    if (existsSync(candidate)) return candidate;
  }
  return join(cwd, 'runbooks', `${nameOrPath}.yaml`);
}
