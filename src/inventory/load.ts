import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { homedir, userInfo } from 'node:os';
import { type Result, fail, ok } from '../diagnostics/result.js';
import { emptyInventory, reconcile } from './data.js';
import { type ReadFile, isDirectory, readHostList, readSource } from './directory.js';
import { type InventoryDefaults, type VarsLayer, buildModel, defaultKnownHosts, resolvePath } from './precedence.js';
import { newReadContext } from './read-context.js';
import { resolveInventorySpec } from './resolve.js';
import type { HostKeyPolicy, Inventory } from './types.js';
import { readVarsFolder } from './vars-files.js';
import { vaultSecrets } from './vault-secrets.js';

/** How to load: the operator's defaults (tests replace them) and what else Ansible would read. */
export interface LoadOptions extends Partial<InventoryDefaults> {
  /** The runbook's folder: its group_vars/ and host_vars/ come after the inventory's (Ansible's playbook dir). */
  playbookDir?: string;
  /**
   * Check the connection variables runbook acts on (ansible_connection, become, ssh options...).
   * Off only to show an inventory (`runbook inventory`), which connects nowhere.
   */
  checkConnectionVars?: boolean;
}

/**
 * Loads an Ansible inventory, as `ansible-inventory -i SPEC` would: `prod` means
 * `<cwd>/inventory/prod.yaml` (or .yml); a path to a YAML or INI file or to a directory works
 * too, and so does a comma list of them. group_vars/ and host_vars/ beside each source (and
 * beside the runbook) are merged in; vault values are decrypted with the passwords named by
 * ANSIBLE_VAULT_IDENTITY_LIST / ANSIBLE_VAULT_PASSWORD_FILE. Every problem is reported at once,
 * with file:line:col.
 */
export function loadInventory(spec: string, cwd: string, options: LoadOptions = {}): Result<Inventory> {
  const defaults: InventoryDefaults = { user: options.user ?? userInfo().username, home: options.home ?? homedir(), env: options.env ?? process.env };
  const resolved = resolveInventorySpec(spec, cwd);
  if (!resolved.ok) return resolved;
  const vault = vaultSecrets(defaults.env, cwd);
  if (!vault.ok) return vault;
  const ctx = newReadContext(vault.value, options.checkConnectionVars ?? true);
  const raw = emptyInventory();
  const read: ReadFile[] = [];
  const sources = resolved.value.kind === 'sources' ? resolved.value.sources : [];
  if (resolved.value.kind === 'host-list') readHostList(resolved.value.list, raw);
  for (const source of sources) readSource(source, raw, ctx, read);
  reconcile(raw);
  const groups = [...raw.groups.keys()];
  const folder = (dir: string): VarsLayer => readVarsFolder(dir, groups, raw.hostOrder, ctx, read);
  const baseDirs = [...new Set(sources.map((s) => (isDirectory(s) ? s : dirname(s))))];
  const layers = { inventory: baseDirs.map(folder), playbook: options.playbookDir === undefined ? [] : [folder(options.playbookDir)] };
  const file = resolved.value.kind === 'sources' ? sources.join(',') : spec;
  const baseDir = baseDirs[0] ?? cwd;
  const { hosts, groups: model } = buildModel(raw, layers, baseDir, defaults, file, ctx.diagnostics);
  if (ctx.diagnostics.length > 0) return fail(ctx.diagnostics);
  // The inventory-wide values come from `all`'s variables; hosts may override them (Host fields).
  const allVars = model.get('all')?.vars ?? {};
  const knownHosts = typeof allVars.runbook_known_hosts === 'string' ? resolvePath(allVars.runbook_known_hosts, baseDir, defaults.home) : defaultKnownHosts(defaults);
  return ok({
    file,
    sha256: fingerprint(read),
    hosts,
    groups: model,
    knownHostsFile: knownHosts,
    hostKeyPolicy: (allVars.runbook_host_key_policy as HostKeyPolicy | undefined) ?? 'strict',
    secrets: [...ctx.secrets],
    vaultText: ctx.vaulted,
    unsafeText: ctx.unsafe,
  });
}

/** One file's fingerprint is its sha256, as before; several files hash their names and texts. */
function fingerprint(read: ReadFile[]): string {
  const hash = createHash('sha256');
  if (read.length === 1) return hash.update((read[0] as ReadFile).text).digest('hex');
  for (const { file, text } of read) hash.update(`${file}\0${text}\0`);
  return hash.digest('hex');
}
