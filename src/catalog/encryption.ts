import { type Result, fail, ok } from '../diagnostics/result.js';
import type { BackupFile } from './manifest.js';

/**
 * Encryption at rest (docs/backups.md, "Encryption"): a backup's files are encrypted with age on
 * the host they come from, to the public keys of the inventory variable `backup_age_recipients`,
 * before they leave it. The storage node and any copy of the catalog hold only ciphertext;
 * restoring needs the identity (the private key), which taking a backup never does.
 */
export interface Encryption {
  method: 'age';
  /** The public keys the files were encrypted to, as `age1...` or `ssh-ed25519 AAAA...` (no comment). */
  recipients: string[];
}

/** What an encrypted file stores besides its ciphertext's size and sha256: those of the plaintext. */
export interface PlainDigest {
  size: number;
  sha256: string;
}

/** The suffix of an encrypted file's name: `nova.sql.gz` is stored as `nova.sql.gz.age`. */
export const AGE_SUFFIX = '.age';

/** The inventory variable that lists a host's recipients. */
export const RECIPIENTS_VAR = 'backup_age_recipients';

/** The secret the shipped restore runbooks read the identity from (RUNBOOK_AGE_IDENTITY). */
export const IDENTITY_SECRET = 'age_identity';

/** An age X25519 public key: `age1` and 58 bech32 characters (age-keygen's). */
const AGE_KEY = /^age1[02-9ac-hj-np-z]{58}$/;
/** The SSH public key types age encrypts to. */
const SSH_TYPES = new Set(['ssh-ed25519', 'ssh-rsa']);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * One recipient as the inventory gives it, normalised to what age and the manifest take: an
 * `age1...` key as is, an SSH key as `type base64` (its comment dropped: it names a person, not
 * a key); or why it is not one.
 */
export function parseRecipient(value: unknown): Result<string, string> {
  if (typeof value !== 'string') return fail(`${JSON.stringify(value)} is not a recipient (a string: an age public key 'age1...' or an SSH public key 'ssh-ed25519 AAAA...')`);
  const words = value.trim().split(/\s+/);
  const [first = '', key = ''] = words;
  if (words.length === 1 && AGE_KEY.test(first)) return ok(first);
  // A tab between the words is fine; any other control character (an escape sequence in a comment) is not.
  if (SSH_TYPES.has(first) && BASE64.test(key) && !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value.trim())) return ok(`${first} ${key}`);
  const shown = value.length > 80 ? `${JSON.stringify(value.slice(0, 80))}...` : JSON.stringify(value);
  return fail(`${shown} is not a recipient: an age public key ('age1' and 58 letters and digits, as age-keygen prints it) or an SSH public key ('ssh-ed25519 AAAA...' or 'ssh-rsa AAAA...')`);
}

/**
 * The recipients of a list (the inventory's form), or of the text a template gives when it
 * renders one (`{{default host.vars.backup_age_recipients ''}}`: its items joined by spaces):
 * there an SSH key is its type and the next word, and the words after it up to the next key
 * are its comment. None (an absent variable, an empty list or text) means no encryption.
 */
export function parseRecipients(value: unknown): Result<string[], string> {
  if (value === undefined || value === null || value === '') return ok([]);
  const items = Array.isArray(value) ? value : typeof value === 'string' ? wordsAsRecipients(value) : undefined;
  if (!items) return fail(`${RECIPIENTS_VAR} must be a list of recipients, not ${JSON.stringify(value)}`);
  const recipients: string[] = [];
  for (const [index, item] of items.entries()) {
    const parsed = parseRecipient(item);
    if (!parsed.ok) return fail(`${RECIPIENTS_VAR}[${index}]: ${parsed.error}`);
    if (!recipients.includes(parsed.value)) recipients.push(parsed.value);
  }
  return ok(recipients);
}

function wordsAsRecipients(text: string): string[] {
  const items: string[] = [];
  // Where the words are: outside an SSH key, after its type (its key is next), or in its comment.
  let at: 'outside' | 'type' | 'comment' = 'outside';
  for (const word of text.split(/[\s,]+/).filter(Boolean)) {
    if (SSH_TYPES.has(word)) {
      items.push(word);
      at = 'type';
    } else if (at === 'type') {
      items[items.length - 1] = `${items.at(-1) ?? ''} ${word}`;
      at = 'comment';
    } else if (at !== 'comment' || word.startsWith('age1')) {
      items.push(word);
      at = 'outside';
    }
  }
  return items;
}

/** The inventory variable's check (src/inventory/vars.ts): a problem naming the var and the item, or undefined. */
export function recipientsVarProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return `${RECIPIENTS_VAR} must be a list of age or SSH public keys (docs/backups.md, "Encryption"), not ${JSON.stringify(value)}`;
  const parsed = parseRecipients(value);
  return parsed.ok ? undefined : parsed.error;
}

/** Whether two backups were encrypted alike: both not, or both with age to the same set of recipients. */
export function sameEncryption(a: Encryption | null | undefined, b: Encryption | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  const set = new Set(a.recipients);
  return a.method === b.method && set.size === new Set(b.recipients).size && b.recipients.every((r) => set.has(r));
}

/** The name a stored file has once decrypted: `nova.sql.gz.age` -> `nova.sql.gz`. */
export function plainName(name: string): string {
  return name.endsWith(AGE_SUFFIX) ? name.slice(0, -AGE_SUFFIX.length) : name;
}

/**
 * The files as they are once restored (fetched into dest, or produced from the live data to be
 * compared): an encrypted file by its plaintext's name, size and sha256; a plain one as stored.
 * age is randomised, so "the same data" is only ever decided on these.
 */
export function plainView(files: readonly BackupFile[]): BackupFile[] {
  return files.map((f) => (f.plain ? { name: plainName(f.name), size: f.plain.size, sha256: f.plain.sha256 } : { name: f.name, size: f.size, sha256: f.sha256 }));
}

/** `age to age1abc…, ssh-ed25519 AAAA…`: the recipients in a message, each shortened. */
export function recipientsWords(encryption: Encryption): string {
  return encryption.recipients.map((r) => (r.length > 24 ? `${r.slice(0, 20)}…` : r)).join(', ');
}
