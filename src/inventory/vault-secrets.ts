import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { type Result, fail, ok } from '../diagnostics/result.js';
import { isExecutable } from './directory.js';
import type { VaultSecret } from './vault.js';

/**
 * The vault passwords Ansible would use: ANSIBLE_VAULT_IDENTITY_LIST (`label@file,...`, which
 * `--vault-id` fills) and ANSIBLE_VAULT_PASSWORD_FILE (which `--vault-password-file` fills). An
 * executable password file is run and its output is the password, as in Ansible.
 */
export function vaultSecrets(env: Record<string, string | undefined>, cwd: string): Result<VaultSecret[]> {
  const ids = (env.ANSIBLE_VAULT_IDENTITY_LIST ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const entries = ids.map((id) => {
    const at = id.indexOf('@');
    return at < 0 ? { id: 'default', source: id } : { id: id.slice(0, at), source: id.slice(at + 1) };
  });
  if (env.ANSIBLE_VAULT_PASSWORD_FILE) entries.push({ id: 'default', source: env.ANSIBLE_VAULT_PASSWORD_FILE });
  const secrets: VaultSecret[] = [];
  const problems: Diagnostic[] = [];
  for (const entry of entries) {
    const password = readPassword(resolve(cwd, entry.source), entry.source);
    if (password.ok) secrets.push({ id: entry.id, password: password.value });
    else problems.push({ severity: 'error', file: entry.source, message: password.error });
  }
  return problems.length > 0 ? fail(problems) : ok(secrets);
}

function readPassword(path: string, source: string): Result<Buffer, string> {
  if (source === 'prompt') return fail('vault password prompts are not supported: give a password file (--vault-password-file or --vault-id LABEL@FILE)');
  let data: Buffer;
  try {
    data = isExecutable(path) ? execFileSync(path, [], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }) : readFileSync(path);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { status?: number };
    return fail(`cannot read the vault password file: ${e.code ?? (e.status !== undefined ? `exit status ${e.status}` : 'failed')}`);
  }
  const password = Buffer.from(data.toString('utf8').trim());
  return password.length === 0 ? fail('the vault password file is empty') : ok(password);
}
