import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { type Result, fail, ok } from '../diagnostics/result.js';

/** What `--inventory` named: files and directories to read, or Ansible's inline host list. */
export type InventorySpec = { kind: 'sources'; sources: string[] } | { kind: 'host-list'; list: string };

/**
 * `--inventory prod` means `<cwd>/inventory/prod.yaml` (or `.yml`, or `inventory/prod` itself),
 * and only when there is none of those, `./prod`; anything that looks like a path (a `/`, an
 * extension) is taken as a path.
 * `a.yml,b.ini` is several sources; `web1,web2` (naming no file) is a list of hosts, as in Ansible.
 */
export function resolveInventorySpec(spec: string, cwd: string): Result<InventorySpec> {
  if (spec.includes(',') && !exists(resolve(cwd, spec))) {
    const items = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const found = items.map((item) => resolveOne(item, cwd));
    if (found.every((f) => !f.ok) && !items.some(looksLikePath)) return ok({ kind: 'host-list', list: spec });
    const missing = found.flatMap((f) => (f.ok ? [] : f.error));
    if (missing.length > 0) return fail(missing);
    return ok({ kind: 'sources', sources: found.map((f) => (f as { value: string }).value) });
  }
  const one = resolveOne(spec, cwd);
  return one.ok ? ok({ kind: 'sources', sources: [one.value] }) : one;
}

function resolveOne(fileOrName: string, cwd: string): Result<string> {
  const asPath = resolve(cwd, fileOrName);
  if (looksLikePath(fileOrName)) return exists(asPath) ? ok(asPath) : notFound(fileOrName, [asPath]);
  // A bare name is SPEC's inventory name first: `--inventory lab` is inventory/lab.yaml even where
  // a folder ./lab exists (this repository has one); then it is a path, as in Ansible.
  const candidates = [...['.yaml', '.yml', ''].map((ext) => join(cwd, 'inventory', `${fileOrName}${ext}`)), asPath];
  const found = candidates.find(exists);
  return found ? ok(found) : notFound(fileOrName, candidates);
}

function looksLikePath(name: string): boolean {
  return /[\\/]/.test(name) || /\.(ya?ml|ini|json)$/.test(name);
}

function exists(path: string): boolean {
  return existsSync(path) && (statSync(path).isFile() || statSync(path).isDirectory());
}

function notFound(name: string, looked: string[]): Result<never> {
  const diagnostic: Diagnostic = { severity: 'error', file: name, message: `no inventory '${name}' (looked for ${looked.join(', ')})` };
  return fail([diagnostic]);
}
