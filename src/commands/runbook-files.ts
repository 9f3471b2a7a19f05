import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The given files resolved against cwd, or every YAML file under runbooks/ when none is given. */
export async function runbookFiles(files: readonly string[], cwd: string): Promise<string[]> {
  if (files.length > 0) return files.map((f) => resolve(cwd, f));
  const dir = join(cwd, 'runbooks');
  const entries = await readdir(dir).catch(() => [] as string[]);
  return entries.filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
}
