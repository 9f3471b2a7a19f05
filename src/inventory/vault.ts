import { Vault } from 'ansible-vault';
import { type Result, fail, ok } from '../diagnostics/result.js';

/*
 * Ansible Vault 1.1/1.2 (AES256), decrypted by the ansible-vault library; this file picks the
 * password (the vault id's first, then the others, as Ansible does) and words the errors.
 * Checked against ansible-vault's own output in the unit and oracle tests.
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
  const vault = lines.map((line) => line.trim()).join('\n');
  const label = header[3]?.trim();
  const ordered = [...secrets.filter((s) => s.id === label), ...secrets.filter((s) => s.id !== label)];
  for (const secret of ordered) {
    const outcome = decryptWith(vault, secret.password);
    if (outcome.ok) return outcome;
    if (outcome.error === 'damaged') return fail('the vault text is damaged (not the hex ansible-vault writes)');
  }
  return fail(`no vault password given decrypts this value${label ? ` (vault id '${label}')` : ''}`);
}

/**
 * One password tried with the ansible-vault library (the format: PBKDF2-SHA256 keys, HMAC check,
 * AES-256-CTR, PKCS#7 padding). It throws on a wrong password (the HMAC fails) and on damaged text.
 */
function decryptWith(vault: string, password: Buffer): Result<string, 'wrong password' | 'damaged'> {
  try {
    const plain = new Vault({ password: password.toString('utf8') }).decryptSync(vault, undefined);
    return plain === undefined ? fail('damaged') : ok(plain);
  } catch (error) {
    return fail(error instanceof Error && error.message === 'Integrity check failed' ? 'wrong password' : 'damaged');
  }
}
