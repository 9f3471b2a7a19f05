import { allUnder, pathUnder } from '../../catalog/layout.js';
import { sh } from '../../command/command.js';
import type { ActionOutcome, ModuleContext } from '../module.js';
import { refused } from '../outcome.js';
import type { CatalogArgs } from './args.js';

/** A small file `name` in `dir` on the storage host, written whole or not at all (a temporary name, then mv). */
export async function writeOnStorage(ctx: ModuleContext, args: CatalogArgs, dir: string, name: string, text: string): Promise<ActionOutcome> {
  const paths = allUnder({ path: pathUnder(dir, name), temp: pathUnder(dir, `.${name}.part`) });
  if (!paths.ok) return refused(paths.problem);
  const { temp, path } = paths.paths;
  const storage = await ctx.connectionTo(args.storage);
  const result = await storage.exec(sh`umask 077 && cat > ${temp} && mv -f -- ${temp} ${path}`.text, { ...ctx.options, stdin: text });
  return { ok: result.exitCode === 0, commands: [result] };
}
