import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { type Result, fail, ok } from '../diagnostics/result.js';
import type { SecretSource } from '../runbook/types.js';

/** Every secret by name, or one problem per secret that cannot be read. */
export type SecretsResult = Result<Record<string, string>, string[]>;

/**
 * Reads the runbook's secrets on the control node: `{ env: NAME }` from the environment,
 * `{ file: path }` relative to the runbook's folder (a trailing newline is dropped, as
 * `echo > file` adds one). A missing secret is a problem named by secret and source, never
 * by value.
 */
export async function readSecrets(
  sources: Record<string, SecretSource>,
  baseDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SecretsResult> {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const [name, source] of Object.entries(sources)) {
    if ('env' in source) {
      const value = env[source.env];
      if (value !== undefined && value !== '') values[name] = value;
      else if (source.optional) values[name] = '';
      else problems.push(`secret '${name}': environment variable ${source.env} is not set`);
      continue;
    }
    const path = isAbsolute(source.file) ? source.file : resolve(baseDir, source.file);
    try {
      values[name] = (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
    } catch (error) {
      if (source.optional && (error as NodeJS.ErrnoException).code === 'ENOENT') values[name] = '';
      else problems.push(`secret '${name}': cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  return problems.length > 0 ? fail(problems) : ok(values);
}
