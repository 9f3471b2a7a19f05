import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/** `nova-db-loss` means drills/nova-db-loss.yaml under the working directory; a path is a path. */
export function resolveDrillFile(nameOrPath: string, cwd: string): string {
  if (nameOrPath.includes('/') || /\.ya?ml$/.test(nameOrPath)) return isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath);
  for (const ext of ['.yaml', '.yml']) {
    const candidate = join(cwd, 'drills', `${nameOrPath}${ext}`);
    if (existsSync(candidate)) return candidate;
  }
  return join(cwd, 'drills', `${nameOrPath}.yaml`);
}
