import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { isMap, isScalar } from 'yaml';
import { assignVars, defineVar } from './data.js';
import type { ReadFile } from './directory.js';
import type { VarsLayer } from './precedence.js';
import { type ReadContext, revealValue } from './read-context.js';
import { decryptVault, isVaultText } from './vault.js';
import { parseYamlSource } from './yaml-source.js';

/*
 * group_vars/ and host_vars/ beside an inventory source (or a runbook), as Ansible's
 * host_group_vars plugin and DataLoader.find_vars_files read them: for a group `web`, the first
 * of `web` (a folder: every file in it, recursively, sorted), `web.yml`, `web.yaml`, `web.json`.
 */

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

/** The vars of every group and host of the inventory found in `baseDir`'s group_vars/ and host_vars/. */
export function readVarsFolder(baseDir: string, groups: readonly string[], hosts: readonly string[], ctx: ReadContext, read: ReadFile[]): VarsLayer {
  return {
    groups: entityVars(join(baseDir, 'group_vars'), groups, ctx, read),
    hosts: entityVars(join(baseDir, 'host_vars'), hosts, ctx, read),
  };
}

function entityVars(folder: string, names: readonly string[], ctx: ReadContext, read: ReadFile[]): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  if (!isDirectory(folder)) return found;
  const real = realpathSync(folder);
  for (const name of names) {
    // Like Ansible: a `chroot`-style name (/path/to/root) has no vars file.
    if (name.startsWith('/')) continue;
    const vars: Record<string, unknown> = {};
    for (const file of varsFiles(real, name)) assignVars(vars, readVarsFile(file, ctx, read));
    if (Object.keys(vars).length > 0) found.set(name, vars);
  }
  return found;
}

/** find_vars_files: the first of NAME, NAME.yml, NAME.yaml, NAME.json that exists. */
function varsFiles(folder: string, name: string): string[] {
  for (const ext of EXTENSIONS) {
    const path = join(folder, `${name}${ext}`);
    if (isDirectory(path)) return filesUnder(path);
    if (isFile(path)) return [path];
  }
  return [];
}

function filesUnder(dir: string, walking: ReadonlySet<string> = new Set()): string[] {
  const real = realpathSync(dir);
  // A symlink loop ends here; an unreadable folder contributes nothing rather than a stack trace.
  if (walking.has(real)) return [];
  let entries: string[];
  try {
    entries = readdirSync(dir).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  } catch {
    return [];
  }
  return entries
    .filter((entry) => !entry.startsWith('.') && !entry.endsWith('~'))
    .flatMap((entry) => {
      const path = join(dir, entry);
      const ext = extname(entry);
      if (isDirectory(path) && ext === '') return filesUnder(path, new Set([...walking, real]));
      return isFile(path) && EXTENSIONS.includes(ext) ? [path] : [];
    });
}

/** One vars file: a YAML (or JSON) mapping, possibly a whole vault-encrypted file. */
function readVarsFile(file: string, ctx: ReadContext, read: ReadFile[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    ctx.diagnostics.push({ severity: 'error', file, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
    return {};
  }
  read.push({ file, text });
  const encrypted = isVaultText(text);
  if (encrypted) {
    const plain = decryptVault(text, ctx.vault);
    if (!plain.ok) {
      ctx.diagnostics.push({ severity: 'error', file, line: 1, column: 1, message: plain.error });
      return {};
    }
    text = plain.value;
  }
  const source = parseYamlSource(file, text);
  if (source.errors.length > 0) {
    ctx.diagnostics.push(...source.errors);
    return {};
  }
  const root = source.root;
  if (root === undefined || (isScalar(root) && root.value === null)) return {};
  if (!isMap(root)) {
    ctx.diagnostics.push(source.at(root, '', 'a vars file is a mapping of variable names to values'));
    return {};
  }
  const vars: Record<string, unknown> = {};
  for (const pair of source.pairs(root)) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof key !== 'string' && typeof key !== 'number') continue;
    const name = String(key);
    const report = (message: string): void => void ctx.diagnostics.push(source.at(pair.value ?? pair.key, name, message));
    defineVar(vars, name, revealValue(name, source.value(pair.value), ctx, report));
    // Every text of an encrypted file is a secret (numbers and booleans would mask too much).
    if (encrypted) for (const secret of stringsIn(vars[name])) ctx.secrets.add(secret);
  }
  return vars;
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
