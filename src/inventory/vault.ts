import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { type Result, fail, ok } from '../diagnostics/result.js';

/*
 * Ansible Vault 1.1/1.2 (AES256): PBKDF2-SHA256 (10000 rounds) of the password and salt gives
 * the AES-256-CTR key, the HMAC-SHA256 key and the counter; the body is hex of
 * `hex(salt)\nhex(hmac)\nhex(ciphertext)`. Checked against ansible-vault in the oracle test.
 */

/** A vault password and the vault id it was given for (`default` when unnamed). */
export interface VaultSecret {
  id: string;
  password: Buffer;
}

const HEADER = '$ANSIBLE_VAULT;';

/** True for text that is an encrypted vault (a whole file or a `!vault` value). */
export function isVaultText(text: string): boolean {
  return text.trimStart().startsWith(HEADER);
}

/**
 * Decrypts vault text with the secret named in its header first, then with every other secret,
 * as Ansible does. Errors are plain sentences (the caller adds the file position).
 */
export function decryptVault(text: string, secrets: readonly VaultSecret[]): Result<string, string> {
  const lines = text.trim().split(/\r?\n/);
  const header = (lines[0] as string).trim().split(';');
  if (header[1] !== '1.1' && header[1] !== '1.2') return fail(`vault format ${header[1] ?? '?'} is not supported (1.1 and 1.2 are)`);
  if (header[2]?.trim() !== 'AES256') return fail(`vault cipher ${header[2] ?? '?'} is not supported (AES256 is)`);
  if (secrets.length === 0) return fail('this value is vault-encrypted and no vault password was given (--vault-password-file, --vault-id or ANSIBLE_VAULT_PASSWORD_FILE)');
  const parsed = parseBody(lines.slice(1).join('').trim());
  if (!parsed) return fail('the vault text is damaged (not the hex ansible-vault writes)');
  const label = header[3]?.trim();
  const ordered = [...secrets.filter((s) => s.id === label), ...secrets.filter((s) => s.id !== label)];
  for (const secret of ordered) {
    const plain = decryptWith(parsed, secret.password);
    if (plain !== undefined) return ok(plain);
  }
  return fail(`no vault password given decrypts this value${label ? ` (vault id '${label}')` : ''}`);
}

interface Body {
  salt: Buffer;
  hmac: Buffer;
  ciphertext: Buffer;
}

function parseBody(hex: string): Body | undefined {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) return undefined;
  const parts = Buffer.from(hex, 'hex').toString('latin1').split('\n');
  if (parts.length !== 3 || !parts.every((p) => /^(?:[0-9a-fA-F]{2})+$/.test(p))) return undefined;
  const [salt, hmac, ciphertext] = parts.map((p) => Buffer.from(p, 'hex')) as [Buffer, Buffer, Buffer];
  return { salt, hmac, ciphertext };
}

function decryptWith(body: Body, password: Buffer): string | undefined {
  const derived = pbkdf2Sync(password, body.salt, 10000, 80, 'sha256');
  const [aesKey, hmacKey, counter] = [derived.subarray(0, 32), derived.subarray(32, 64), derived.subarray(64, 80)];
  const hmac = createHmac('sha256', hmacKey).update(body.ciphertext).digest();
  if (hmac.length !== body.hmac.length || !timingSafeEqual(hmac, body.hmac)) return undefined;
  const decipher = createDecipheriv('aes-256-ctr', aesKey, counter);
  const padded = Buffer.concat([decipher.update(body.ciphertext), decipher.final()]);
  // Ansible pads to the AES block with PKCS#7 even in CTR mode.
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > 16 || pad > padded.length) return undefined;
  return padded.subarray(0, padded.length - pad).toString('utf8');
}
