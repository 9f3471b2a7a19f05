import { AGE_SUFFIX, type Encryption, parseRecipients } from '../../catalog/encryption.js';
import type { BackupFile } from '../../catalog/manifest.js';
import { type ShellCommand, sh } from '../../command/command.js';
import type { CommandResult } from '../../connection/connection.js';
import type { ModuleContext } from '../module.js';
import type { CatalogArgs } from './args.js';
import { listFilesCommand, parseListing } from './produce.js';

/** The encryption a `stored` step asks for (null: none), or why its `recipients` cannot be used. */
export function encryptionOf(args: CatalogArgs): { ok: true; encryption: Encryption | null } | { ok: false; problem: string } {
  const parsed = parseRecipients(args.recipients);
  if (!parsed.ok) return { ok: false, problem: `recipients: ${parsed.error}` };
  return { ok: true, encryption: parsed.value.length === 0 ? null : { method: 'age', recipients: parsed.value } };
}

/**
 * Encrypts every file of the private folder `dir` in place, `f` -> `f.age` (then `f` removed),
 * to each recipient, and lists what is left (`SIZE SHA256  NAME`, as produce lists). The
 * recipients are public keys, but they are values all the same: quoted, one word each. `./`
 * before the names: a name starting with `-` is never an option of age's.
 */
export function encryptCommand(dir: string, recipients: readonly string[]): ShellCommand {
  const to = recipients.flatMap((r) => ['-r', r]);
  const each = sh`[ -f "$f" ] || continue; age -e ${to} -o "./$f.age" "./$f" && rm -f -- "./$f" || exit 1`;
  return sh`cd ${dir} && umask 077 && for f in *; do ${each}; done && ${listFilesCommand(dir)}`;
}

/** What {@link encryptProduced} gives: the files as stored, each with its plaintext's digest. */
export type Encrypted = { ok: true; commands: CommandResult[]; files: BackupFile[] } | { ok: false; commands: CommandResult[]; message: string };

/**
 * On the source host, before anything leaves it: the produced files (`plain`, as listed) are
 * encrypted in their private folder, and each stored file is `<name>.age` with the ciphertext's
 * size and sha256 and the plaintext's as `plain`.
 */
export async function encryptProduced(ctx: ModuleContext, dir: string, plain: readonly BackupFile[], encryption: Encryption): Promise<Encrypted> {
  const result = await ctx.exec(encryptCommand(dir, encryption.recipients).text);
  const commands = [result];
  if (result.exitCode === 127) return { ok: false, commands, message: `age is not installed on ${ctx.host.name} (Debian: apt-get install age); its backups are to be encrypted (backup_age_recipients)` };
  if (result.exitCode !== 0) return { ok: false, commands, message: `encrypting the backup on ${ctx.host.name} failed: ${lastLines(result.stderr) || `exit ${result.exitCode ?? 'by a signal'}`}` };
  const stored = new Map(parseListing(result.stdout).map((f) => [f.name, f]));
  const files: BackupFile[] = [];
  for (const p of plain) {
    const cipher = stored.get(`${p.name}${AGE_SUFFIX}`);
    if (!cipher) return { ok: false, commands, message: `encrypting the backup on ${ctx.host.name}: ${p.name}${AGE_SUFFIX} is missing` };
    files.push({ ...cipher, plain: { size: p.size, sha256: p.sha256 } });
  }
  if (stored.size !== files.length) return { ok: false, commands, message: `encrypting the backup on ${ctx.host.name}: the folder holds ${stored.size} files, produce wrote ${files.length}` };
  return { ok: true, commands, files };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}
