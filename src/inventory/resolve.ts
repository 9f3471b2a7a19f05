import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ValidationError } from '../diagnostics/diagnostic.js';

/**
 * `--inventory prod` means `<cwd>/inventory/prod.yaml` (or `.yml`); anything that names an
 * existing file, or looks like a path (a slash or a YAML extension), is taken as a path.
 */
export function resolveInventoryFile(fileOrName: string, cwd: string): string {
  const asPath = resolve(cwd, fileOrName);
  const looksLikePath = /[\\/]/.test(fileOrName) || /\.ya?ml$/.test(fileOrName);
  if (looksLikePath || isFile(asPath)) {
    if (isFile(asPath)) return asPath;
    throw notFound(fileOrName, [asPath]);
  }
  const candidates = ['.yaml', '.yml'].map((ext) => join(cwd, 'inventory', `${fileOrName}${ext}`));
  const found = candidates.find(isFile);
  if (found) return found;
  throw notFound(fileOrName, candidates);
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function notFound(name: string, looked: string[]): ValidationError {
  return new ValidationError([{ severity: 'error', file: name, message: `no inventory '${name}' (looked for ${looked.join(', ')})` }]);
}
