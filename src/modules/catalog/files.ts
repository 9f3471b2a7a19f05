import { pathUnder } from '../../catalog/layout.js';
import type { BackupFile, CatalogEntry } from '../../catalog/manifest.js';
import type { CommandResult, Connection } from '../../connection/connection.js';
import type { ModuleContext } from '../module.js';
import { sh } from '../../command/command.js';

/** What a host holds of a backup's files: each one's problems (none: it has the manifest's size and sha256). */
interface FilesChecked {
  /** The command that looked (none when a name was refused before anything ran). */
  commands: CommandResult[];
  problems: string[];
}

/**
 * In `dir` on a host, whether `files` are regular files (not symlinks, which could point out of
 * dir) of the size and sha256 the manifest says. Their paths go on stdin, one a line (pathUnder
 * refuses a newline in a name), so no name is ever a word of a command line.
 */
export async function checkFiles(ctx: ModuleContext, connection: Connection, dir: string, files: readonly BackupFile[]): Promise<FilesChecked> {
  const paths = files.map((f) => pathUnder(dir, f.name));
  const outside = paths.find((p) => !p.ok);
  if (outside && !outside.ok) return { commands: [], problems: [outside.problem] };
  // One line per path whatever happens, so line i is about files[i].
  const regular = sh`[ -f "$f" ] && [ ! -L "$f" ]`;
  const command = sh`while IFS= read -r f; do if ${regular} && s=$(stat -c %s -- "$f") && h=$(sha256sum < "$f"); then printf '%s %s\\n' "$s" "\${h%% *}"; else echo missing; fi; done`;
  const result = await connection.exec(command.text, { ...ctx.options, stdin: paths.map((p) => `${p.ok ? p.path : ''}\n`).join('') });
  if (result.exitCode !== 0) return { commands: [result], problems: [`cannot read ${dir}: ${result.stderr.trim() || `exit code ${result.exitCode ?? 'by a signal'}`}`] };
  const lines = result.stdout.split('\n');
  return { commands: [result], problems: files.flatMap((file, i) => fileProblem(file, lines[i] ?? 'missing')) };
}

/** A line of {@link checkFiles} (`SIZE SHA256` or `missing`) against the manifest: the size first, it says most. */
function fileProblem(file: BackupFile, line: string): string[] {
  const [size, sha256] = line.split(' ');
  if (size === 'missing' || sha256 === undefined) return [`${file.name} is missing, unreadable or not a regular file`];
  if (Number(size) !== file.size) return [`${file.name} is ${size} bytes, the manifest says ${file.size}`];
  if (sha256 !== file.sha256) return [`${file.name} has sha256 ${sha256}, the manifest says ${file.sha256}`];
  return [];
}

/** On the storage host: the files still have the size and sha256 the manifest recorded. */
export async function verifyOnStorage(ctx: ModuleContext, storage: Connection, entry: CatalogEntry, files: readonly BackupFile[]) {
  const { commands, problems } = await checkFiles(ctx, storage, entry.dir, files);
  return { commands, problem: problems.length === 0 ? undefined : `backup ${entry.id} in ${entry.dir} on ${storage.host} does not match its manifest: ${problems.join('; ')}` };
}

/** Whether produced files equal a backup's: all of them (stored), or those of the same names (found). */
export function sameFiles(produced: readonly BackupFile[], backup: readonly BackupFile[], how: 'all' | 'subset'): boolean {
  if (produced.length === 0 || (how === 'all' && produced.length !== backup.length)) return false;
  const byName = new Map(backup.map((f) => [f.name, f.sha256]));
  return produced.every((f) => byName.get(f.name) === f.sha256);
}
