import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { homedir, userInfo } from 'node:os';
import { type Diagnostic, ValidationError } from '../diagnostics/diagnostic.js';
import { type InventoryDefaults, buildModel, defaultKnownHosts, resolvePath } from './merge.js';
import { parseInventoryTree } from './parse.js';
import { resolveInventoryFile } from './resolve.js';
import type { HostKeyPolicy, Inventory } from './types.js';
import { parseYamlSource } from './yaml-source.js';

/**
 * Loads an Ansible YAML inventory: `prod` means `<cwd>/inventory/prod.yaml` (or .yml), a path
 * works too. Every problem is reported at once as a ValidationError with file:line:col.
 * `defaults` replaces the operator's user, home and environment (tests).
 */
export function loadInventory(fileOrName: string, cwd: string, defaults: Partial<InventoryDefaults> = {}): Inventory {
  const file = resolveInventoryFile(fileOrName, cwd);
  const text = readText(file);
  const full: InventoryDefaults = { user: defaults.user ?? userInfo().username, home: defaults.home ?? homedir(), env: defaults.env ?? process.env };
  const source = parseYamlSource(file, text);
  if (source.errors.length > 0) throw new ValidationError(source.errors);
  const diagnostics: Diagnostic[] = [];
  const raw = parseInventoryTree(source, diagnostics);
  const { hosts, groups } = buildModel(raw, file, full, diagnostics);
  if (diagnostics.length > 0) throw new ValidationError(diagnostics);
  // The inventory-wide values come from `all`'s variables; hosts may override them (Host fields).
  const allVars = groups.get('all')?.vars ?? {};
  const knownHosts = typeof allVars.runbook_known_hosts === 'string' ? resolvePath(allVars.runbook_known_hosts, dirname(file), full.home) : defaultKnownHosts(full);
  return {
    file,
    sha256: createHash('sha256').update(text).digest('hex'),
    hosts,
    groups,
    knownHostsFile: knownHosts,
    hostKeyPolicy: (allVars.runbook_host_key_policy as HostKeyPolicy | undefined) ?? 'strict',
  };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ValidationError([{ severity: 'error', file, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
  }
}
