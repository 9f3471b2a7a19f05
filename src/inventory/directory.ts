import { accessSync, constants, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { type RawInventory, addHost } from './data.js';
import { parseAddress } from './host-range.js';
import { readIniInventory } from './ini.js';
import type { ReadContext } from './read-context.js';
import { readYamlInventory } from './yaml.js';

/*
 * Inventory sources as Ansible's InventoryManager.parse_source walks them: a directory is every
 * file under it in sorted order (hidden files, group_vars/, host_vars/, vars_plugins/ and
 * INVENTORY_IGNORE_EXTS left out), and each file is tried as YAML (when its extension allows)
 * and then as INI.
 */

/** Ansible's default INVENTORY_IGNORE_EXTS: REJECT_EXTS plus .orig, .ini, .cfg, .retry. */
export const IGNORED_EXTENSIONS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];
const IGNORED_NAMES = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;
/** The yaml plugin's yaml_extensions; a file without an extension is tried as YAML too. */
const YAML_EXTENSIONS = ['', '.yaml', '.yml', '.json'];

/** A file read as an inventory source: its path and text (for the inventory's fingerprint). */
export interface ReadFile {
  file: string;
  text: string;
}

/**
 * Reads one source (a file or a directory) into `raw`; problems go to `ctx.diagnostics`.
 * `walking` holds the real paths of the directories being walked, so a symlink loop ends.
 */
export function readSource(source: string, raw: RawInventory, ctx: ReadContext, read: ReadFile[], walking: ReadonlySet<string> = new Set()): void {
  if (isDirectory(source)) {
    const real = realpathSync(source);
    if (walking.has(real)) {
      ctx.diagnostics.push({ severity: 'error', file: source, message: 'this directory links back to a directory that contains it (a symlink loop)' });
      return;
    }
    let entries: string[];
    try {
      entries = sortedEntries(source);
    } catch (error) {
      ctx.diagnostics.push({ severity: 'error', file: source, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      return;
    }
    for (const entry of entries) {
      if (IGNORED_NAMES.test(entry) || IGNORED_EXTENSIONS.some((ext) => entry.endsWith(ext))) continue;
      readSource(join(source, entry), raw, ctx, read, new Set([...walking, real]));
    }
    return;
  }
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (error) {
    ctx.diagnostics.push({ severity: 'error', file: source, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
    return;
  }
  read.push({ file: source, text });
  readFile(source, text, raw, ctx);
}

/** Python's sorted(os.listdir()): by bytes, not by locale. */
function sortedEntries(dir: string): string[] {
  return readdirSync(dir).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

function readFile(file: string, text: string, raw: RawInventory, ctx: ReadContext): void {
  const ext = pythonExtname(file);
  const unsupported = unsupportedKind(file, text, ext);
  if (unsupported) {
    ctx.diagnostics.push({ severity: 'error', file, message: unsupported });
    return;
  }
  const valueProblems = ctx.checkConnectionVars ? ctx.diagnostics : undefined;
  if (!YAML_EXTENSIONS.includes(ext)) {
    ctx.diagnostics.push(...readIniInventory(file, text, raw, valueProblems));
    return;
  }
  const notYaml = readYamlInventory(file, text, raw, ctx);
  if (!notYaml) return;
  const iniProblems = readIniInventory(file, text, raw, valueProblems);
  if (iniProblems.length === 0) return;
  // Neither format: show the errors of the one the file most likely meant, then what else was tried.
  // A file named .yml/.yaml/.json meant YAML; one without an extension (kolla's multinode) most likely INI.
  const meantYaml = ext !== '';
  const shown = meantYaml && notYaml.diagnostics.length > 0 ? notYaml.diagnostics : iniProblems;
  const other = meantYaml ? `as INI: ${iniProblems[0]?.message}` : `as YAML: ${notYaml.reason}`;
  ctx.diagnostics.push(...shown);
  // A .yml file with YAML errors needs no more words; a file without extension says what was tried.
  if (!meantYaml) ctx.diagnostics.push({ severity: 'error', file, message: `not an inventory: read as YAML and as INI, as Ansible does; both failed (the errors above are INI's; ${other})` });
}

/** Ansible's script, auto (plugin config) and toml plugins: formats runbook does not read. */
function unsupportedKind(file: string, text: string, ext: string): string | undefined {
  if (ext === '.toml') return 'TOML inventories are not supported: convert it with `ansible-inventory -i FILE --list --yaml`';
  if (text.startsWith('#!') && isExecutable(file)) return 'inventory scripts are not supported: save their output with `ansible-inventory -i SCRIPT --list --yaml > inventory.yml`';
  return undefined;
}

/** os.path.splitext's extension: a leading dot (a hidden file) is not an extension. */
function pythonExtname(file: string): string {
  const name = basename(file);
  return name.replace(/^\.+/, '').includes('.') ? extname(name) : '';
}

/**
 * Ansible's host_list plugin: `-i 'web1,web2:2222,'` is a list of hosts (all in `ungrouped`)
 * when it names no file.
 */
export function readHostList(list: string, raw: RawInventory): void {
  for (const entry of list.split(',').map((h) => h.trim()).filter((h) => h !== '')) {
    const parsed = parseAddress(entry);
    addHost(raw, parsed?.host ?? entry, 'ungrouped', parsed?.port);
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether this process may execute the file (an inventory script, a vault password script). */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
