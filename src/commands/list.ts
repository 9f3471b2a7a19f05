import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadRunbook } from '../runbook/load.js';
import { type CommandIO, EXIT } from '../app/io.js';

/** `runbook list`: the runbooks under runbooks/ with version and description. */
export async function listRunbooks(io: CommandIO): Promise<number> {
  const dir = join(io.cwd, 'runbooks');
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => /\.ya?ml$/.test(f)).sort();
  const rows: string[][] = [];
  let invalid = 0;
  for (const file of files) {
    const loaded = loadRunbook(join(dir, file));
    if (loaded.ok) {
      rows.push([loaded.value.name, loaded.value.version, loaded.value.description.split('\n')[0] ?? '']);
    } else {
      invalid++;
      rows.push([file.replace(/\.ya?ml$/, ''), '?', `invalid: run 'runbook validate ${join('runbooks', file)}'`]);
    }
  }
  const width = Math.max(4, ...rows.map((r) => (r[0] ?? '').length));
  const vwidth = Math.max(7, ...rows.map((r) => (r[1] ?? '').length));
  for (const [name = '', version = '', description = ''] of rows) io.out(`${name.padEnd(width)}  ${version.padEnd(vwidth)}  ${description}`);
  if (rows.length === 0) io.err(`no runbooks in ${dir}`);
  return invalid > 0 ? EXIT.usage : EXIT.ok;
}
