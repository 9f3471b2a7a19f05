import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** A folder as data: every path with its type, mode and content digest, for before/after equality. */
export async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const st = await lstat(path);
      const mode = (st.mode & 0o7777).toString(8);
      const key = relative(root, path);
      if (st.isDirectory()) {
        out[key] = `dir ${mode}`;
        await walk(path);
      } else if (st.isSymbolicLink()) {
        out[key] = `link -> ${await readlink(path)}`;
      } else {
        out[key] = `file ${mode} ${createHash('sha256').update(await readFile(path)).digest('hex').slice(0, 16)}`;
      }
    }
  };
  await walk(root);
  return out;
}
