import { describe, expect, it } from 'vitest';
import { parseRecipient, parseRecipients, plainView, recipientsVarProblem, sameEncryption } from '../../../src/catalog/encryption.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Recipients are the inventory's (untrusted): their shape is checked before anything runs, and
// what reaches age and the manifest is normalised.
const AGE = 'age1tq6vnfl4d5qqys0ytxk57rpgv6yutmqah6vzxp5d994fzxljysmqwpd0r3';
const AGE2 = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const SSH = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPv5Sjk7eH6jQAeOkROHoHnjCoMNLkTK6MJzI75FdKw7';
const SHA = 'a'.repeat(64);

describe('recipients', () => {
  it('takes age keys as they are and SSH keys without their comment', () => {
    expect(parseRecipient(AGE)).toEqual({ ok: true, value: AGE });
    expect(parseRecipient(`${SSH} operator@site, backups`)).toEqual({ ok: true, value: SSH });
    expect(parseRecipient(`  ${SSH}\t`)).toEqual({ ok: true, value: SSH });
    expect(parseRecipient('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ==')).toEqual({ ok: true, value: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ==' });
  });

  it.each([
    ['a truncated age key', AGE.slice(0, -1)],
    ['an age key with a character bech32 has not (b)', `${AGE.slice(0, -1)}b`],
    ['an age identity (the private key, by mistake)', 'AGE-SECRET-KEY-1ZF90W85D0QRJH5CJQN3GXFRWPV2V63EPQF4Q3X3LMJAFRXJ6DKZSZKVYPC'],
    ['an SSH key type age does not take', 'ssh-dss AAAAB3NzaC1kc3MAAACBAP'],
    ['an SSH key without its key', 'ssh-ed25519'],
    ['shell', `${AGE}; rm -rf /`],
    ['an option', '-o/etc/passwd'],
    ['a control character in a comment', `${SSH} a\u001b[2Jb`],
    ['a number', 42],
    ['an empty text', ''],
  ])('refuses %s', (_, value) => {
    const parsed = parseRecipient(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/is not a recipient/);
  });

  it('a list keeps its order, once each; the text a template gives of a list reads the same', () => {
    expect(parseRecipients([AGE, `${SSH} me@here`, AGE2, AGE])).toEqual({ ok: true, value: [AGE, SSH, AGE2] });
    expect(parseRecipients(`${AGE} ${SSH} me@here, backups ${AGE2}`)).toEqual({ ok: true, value: [AGE, SSH, AGE2] });
  });

  it('none (absent, empty) means not encrypted', () => {
    for (const none of [undefined, null, '', []]) expect(parseRecipients(none)).toEqual({ ok: true, value: [] });
  });

  it('a bad item is named by the var and its index', () => {
    expect(parseRecipients([AGE, 'nope'])).toMatchObject({ ok: false, error: expect.stringMatching(/^backup_age_recipients\[1\]: "nope" is not a recipient/) });
    expect(recipientsVarProblem(AGE)).toMatch(/backup_age_recipients must be a list/);
    expect(recipientsVarProblem([AGE, SSH])).toBeUndefined();
  });

  it('the inventory refuses a bad recipient before anything runs, at its file:line:col', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inventory-age-'));
    const file = join(dir, 'prod.yaml');
    writeFileSync(file, `all:\n  vars:\n    backup_root: /b\n  children:\n    controller:\n      hosts:\n        ctl1:\n          backup_age_recipients: [${AGE}, age1oops]\n`);
    const loaded = loadInventory(file, dir, { user: 'op', home: dir, env: {} });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.error).toEqual([expect.objectContaining({ file, line: 8, message: expect.stringMatching(/^backup_age_recipients\[1\]: "age1oops" is not a recipient/) })]);
    writeFileSync(file, `all:\n  vars:\n    backup_age_recipients: [${AGE}]\n  hosts:\n    ctl1: {}\n`);
    expect(loadInventory(file, dir, { user: 'op', home: dir, env: {} }).ok).toBe(true);
  });
});

describe('encryption of two backups', () => {
  it('is the same when both are plaintext, or age to the same set of recipients', () => {
    expect(sameEncryption(undefined, null)).toBe(true);
    expect(sameEncryption({ method: 'age', recipients: [AGE, AGE2] }, { method: 'age', recipients: [AGE2, AGE] })).toBe(true);
    expect(sameEncryption({ method: 'age', recipients: [AGE] }, { method: 'age', recipients: [AGE, AGE2] })).toBe(false);
    expect(sameEncryption({ method: 'age', recipients: [AGE] }, null)).toBe(false);
  });

  it('the plain view names an encrypted file as restored, with its plaintext digest', () => {
    expect(plainView([
      { name: 'nova.sql.gz.age', size: 300, sha256: SHA, plain: { size: 100, sha256: 'b'.repeat(64) } },
      { name: 'etc-nova.tar.gz', size: 5, sha256: SHA },
    ])).toEqual([
      { name: 'nova.sql.gz', size: 100, sha256: 'b'.repeat(64) },
      { name: 'etc-nova.tar.gz', size: 5, sha256: SHA },
    ]);
  });
});
