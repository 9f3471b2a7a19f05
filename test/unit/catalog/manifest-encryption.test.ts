import { describe, expect, it } from 'vitest';
import { type BackupManifest, parseManifest } from '../../../src/catalog/manifest.js';

// An encrypted backup's manifest (docs/backups.md, "Encryption") is as untrusted as any: what it
// says of encryption decides what a restore decrypts and under which name it writes the result.
const ID = '20261202-020000-ab12';
const SHA = 'a'.repeat(64);
const AGE = 'age1tq6vnfl4d5qqys0ytxk57rpgv6yutmqah6vzxp5d994fzxljysmqwpd0r3';
const SSH = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPv5Sjk7eH6jQAeOkROHoHnjCoMNLkTK6MJzI75FdKw7';
const FILE = { name: 'nova.sql.gz.age', size: 1300, sha256: SHA, plain: { size: 1234, sha256: 'b'.repeat(64) } };

function manifest(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const written: BackupManifest = {
    format: 'runbook-backup/1', id: ID, kind: 'db', host: 'ctl1', created: '2026-12-02T02:00:00.000Z',
    run: { id: ID, runbook: 'backup-db', version: '1.3.0' }, source_digest: '', contents: { databases: ['nova'] }, depends_on: null,
    files: [FILE], verified: true, verified_at: '2026-12-02T02:00:05.000Z', encryption: { method: 'age', recipients: [AGE, SSH] },
  };
  return { ...written, ...changes };
}

const problemOf = (value: unknown): string => {
  const parsed = parseManifest(JSON.stringify(value, null, 2));
  return parsed.ok ? 'ok' : parsed.problem;
};

describe('parseManifest: encryption', () => {
  it('reads an encrypted manifest whole, and a plaintext one with encryption null or absent (backups taken before encryption)', () => {
    expect(parseManifest(JSON.stringify(manifest()))).toEqual({ ok: true, manifest: manifest() });
    const plainFile = { name: 'nova.sql.gz', size: 1, sha256: SHA };
    expect(problemOf(manifest({ encryption: null, files: [plainFile] }))).toBe('ok');
    expect(problemOf(manifest({ encryption: undefined, files: [plainFile] }))).toBe('ok');
  });

  it.each([
    ['another method', { encryption: { method: 'gpg', recipients: [AGE] } }, /'encryption'/],
    ['no recipients', { encryption: { method: 'age', recipients: [] } }, /'encryption'/],
    ['a recipient that is not a public key', { encryption: { method: 'age', recipients: ['$(reboot)'] } }, /'encryption'/],
    ['an SSH recipient with its comment (the writer drops it)', { encryption: { method: 'age', recipients: [`${SSH} me@x`] } }, /'encryption'/],
    ['an unknown key under encryption', { encryption: { method: 'age', recipients: [AGE], key: 'AGE-SECRET-KEY-1' } }, /'encryption'/],
    ['a text for encryption', { encryption: 'age' }, /'encryption'/],
    ['an unknown key under plain', { files: [{ ...FILE, plain: { ...FILE.plain, mode: 0 } }] }, /unknown key 'mode'/],
    ['a plain size that is no byte count', { files: [{ ...FILE, plain: { size: -1, sha256: SHA } }] }, /'files\[0\]\.plain\.size'/],
    ['a plain sha256 that is no sha256', { files: [{ ...FILE, plain: { size: 1, sha256: 'x' } }] }, /'files\[0\]\.plain\.sha256'/],
  ])('refuses %s, naming the field', (_, changes, field) => {
    expect(problemOf(manifest(changes))).toMatch(field);
  });

  it('refuses an encrypted file without its plaintext digest: it could not be checked once decrypted', () => {
    expect(problemOf(manifest({ files: [{ name: 'nova.sql.gz.age', size: 1, sha256: SHA }] }))).toMatch(/'files\[0\]' \("nova\.sql\.gz\.age"\) has no 'plain' size and sha256, but the backup is encrypted/);
  });

  it('refuses a plaintext digest on a backup that is not encrypted: a restore would decrypt what is not encrypted', () => {
    expect(problemOf(manifest({ encryption: null }))).toMatch(/'files\[0\]\.plain' is set, but the backup is not encrypted \('encryption' is null\)/);
    expect(problemOf(manifest({ encryption: undefined }))).toMatch(/'encryption' is absent/);
  });

  it('refuses an encrypted file whose name does not end in .age, or would be restored under a name of the catalog\'s own', () => {
    expect(problemOf(manifest({ files: [{ ...FILE, name: 'nova.sql.gz' }] }))).toMatch(/'files\[0\]\.name' "nova\.sql\.gz" does not end in \.age/);
    expect(problemOf(manifest({ files: [{ ...FILE, name: 'manifest.json.age' }] }))).toMatch(/would be restored as manifest\.json/);
  });

  it('refuses two files that decrypt to one name (listed twice, once decrypted)', () => {
    expect(problemOf(manifest({ files: [FILE, { ...FILE }] }))).toMatch(/listed twice/);
  });
});
