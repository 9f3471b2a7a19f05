import { type Encryption, parseRecipient, plainName, recipientsWords } from '../../catalog/encryption.js';
import type { BackupFile, CatalogEntry } from '../../catalog/manifest.js';
import { type ShellCommand, sh } from '../../command/command.js';
import type { CommandResult } from '../../connection/connection.js';
import type { ActionOutcome, ModuleContext } from '../module.js';
import { sha256Command } from '../remote.js';

/**
 * Restoring an encrypted backup (docs/backups.md, "Encryption"): the identity (the private key,
 * a runbook secret) reaches age on its standard input only, `-i -`: never a command line, a file
 * left behind or a journal (the engine masks a secret's value wherever it would be shown).
 */

/** Why an encrypted backup cannot be fetched with the identity given, before anything is read: none was given. */
export function missingIdentity(entry: CatalogEntry, identity: string | undefined): string | undefined {
  const encryption = entry.encryption;
  if (!encryption || (identity !== undefined && identity.trim() !== '')) return undefined;
  return `backup ${entry.id} (${entry.kind} of ${entry.host}) is encrypted with ${encryption.method} to ${recipientsWords(encryption)}, and no identity was given to decrypt it: set the secret age_identity (RUNBOOK_AGE_IDENTITY, the contents of the age identity file of one of these recipients)`;
}

/** An age identity file's text (age-keygen's `AGE-SECRET-KEY-1...` lines), as opposed to an SSH private key. */
function isAgeIdentity(identity: string): boolean {
  return /^AGE-SECRET-KEY-1[0-9A-Z]+$/m.test(identity) && !identity.includes('PRIVATE KEY');
}

/** Prints the public keys of the identity on stdin, one a line (age-keygen -y reads stdin). */
export function identityRecipientsCommand(): ShellCommand {
  return sh`age-keygen -y`;
}

/**
 * On the host restored to, whether the identity is one of the backup's recipients: the public
 * keys of an age identity (`age-keygen -y`, the identity on stdin) against the manifest's. An
 * SSH identity is not checked here (age-keygen does not read those): a wrong one fails when
 * the first file is decrypted, and the step's rollback puts dest back.
 */
export async function checkIdentity(ctx: ModuleContext, entry: CatalogEntry, encryption: Encryption, identity: string): Promise<{ commands: CommandResult[]; problem?: string }> {
  if (!isAgeIdentity(identity)) return { commands: [] };
  const result = await ctx.exec(identityRecipientsCommand().text, { stdin: `${identity.trim()}\n` });
  const commands = [result];
  if (result.exitCode === 127) return { commands, problem: `age is not installed on ${ctx.host.name} (Debian: apt-get install age), and backup ${entry.id} is encrypted` };
  if (result.exitCode !== 0) return { commands, problem: `the identity given for backup ${entry.id} (secret age_identity) is not an age identity file: age-keygen -y refused it` };
  const own = result.stdout.split('\n').map((line) => parseRecipient(line)).flatMap((r) => (r.ok ? [r.value] : []));
  if (own.some((r) => encryption.recipients.includes(r))) return { commands };
  return {
    commands,
    problem: `the identity given (secret age_identity, public key ${own.join(', ') || 'none'}) is none of the recipients backup ${entry.id} (${entry.kind} of ${entry.host}) is encrypted to (${recipientsWords(encryption)}): it cannot decrypt it`,
  };
}

/**
 * Decrypts `cipher` into `target` (mode 0600; age reads the identity on stdin), removes the
 * ciphertext, and prints the plaintext's size and sha256 (`SIZE SHA256`).
 */
export function decryptCommand(cipher: string, target: string): ShellCommand {
  return sh`umask 077 && age -d -i - -o ${target} ${cipher} && rm -f -- ${cipher} && s=$(stat -c %s -- ${target}) && h=$(${sha256Command(target)}) && printf '%s %s\\n' "$s" "\${h%% *}"`;
}

/** Decrypts a fetched file on this host and checks the plaintext against the manifest's `plain` digest. */
export async function decryptFetched(ctx: ModuleContext, file: BackupFile, paths: { cipher: string; target: string }, identity: string): Promise<ActionOutcome> {
  const result = await ctx.exec(decryptCommand(paths.cipher, paths.target).text, { stdin: `${identity.trim()}\n` });
  const commands = [result];
  const name = plainName(file.name);
  if (result.exitCode === 127) return { ok: false, commands, message: `age is not installed on ${ctx.host.name} (Debian: apt-get install age)` };
  if (result.exitCode !== 0) return { ok: false, commands, message: `${file.name} cannot be decrypted on ${ctx.host.name} with the identity given (secret age_identity): ${result.stderr.trim().split('\n')[0] ?? ''}` };
  const [size, sha256] = result.stdout.trim().split(' ');
  if (Number(size) !== file.plain?.size) return { ok: false, commands, message: `${name} decrypted to ${size ?? '?'} bytes, the manifest says ${file.plain?.size ?? '?'}` };
  if (sha256 !== file.plain.sha256) return { ok: false, commands, message: `${name} decrypted to sha256 ${sha256 ?? '?'}, the manifest says ${file.plain.sha256}` };
  return { ok: true, commands };
}
