import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptVault, isVaultText } from '../../../src/inventory/vault.js';

// Written by ansible-vault (ansible-core 2.14): test/fixtures/inventories/ansible-corpus/features/vault/.
const dir = join(import.meta.dirname, '../../fixtures/inventories/ansible-corpus/features/vault');
const password = (file: string) => Buffer.from(readFileSync(join(dir, file), 'utf8').trim());
const encryptedFile = readFileSync(join(dir, 'group_vars/all.yml'), 'utf8');
const inlineValue = (name: string) => {
  const text = readFileSync(join(dir, 'hosts.yml'), 'utf8');
  const block = text.split(`${name}: !vault |\n`)[1] as string;
  return block.split('\n').filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('        '))).map((l) => l.trim()).join('\n');
};

describe('decryptVault', () => {
  it('opens what ansible-vault encrypted, a whole file or one value, with the vault id of its header first', () => {
    expect(isVaultText(encryptedFile)).toBe(true);
    expect(decryptVault(encryptedFile, [{ id: 'default', password: password('vault-password') }])).toEqual({ ok: true, value: expect.stringContaining('rabbitmq_password: r4bb1t-s3cret') });
    const secrets = [
      { id: 'default', password: password('vault-password') },
      { id: 'prod', password: password('prod-password') },
    ];
    expect(decryptVault(inlineValue('mysql_root_password'), secrets)).toEqual({ ok: true, value: 'S3cr3t-db-pass!' });
    expect(decryptVault(inlineValue('prod_token'), secrets)).toEqual({ ok: true, value: 'prod-only' });
  });

  it('says why it cannot open a value', () => {
    expect(decryptVault(encryptedFile, [])).toEqual({ ok: false, error: expect.stringMatching(/no vault password was given/) });
    expect(decryptVault(encryptedFile, [{ id: 'default', password: Buffer.from('wrong') }])).toEqual({ ok: false, error: 'no vault password given decrypts this value' });
    expect(decryptVault('$ANSIBLE_VAULT;1.1;AES256\nzz', [{ id: 'default', password: Buffer.from('x') }])).toEqual({ ok: false, error: expect.stringMatching(/damaged/) });
    expect(decryptVault('$ANSIBLE_VAULT;1.0;AES\n00', [{ id: 'default', password: Buffer.from('x') }])).toEqual({ ok: false, error: expect.stringMatching(/format 1.0 is not supported/) });
  });
});
