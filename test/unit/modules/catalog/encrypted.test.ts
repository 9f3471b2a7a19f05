import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { listManifestsCommand } from '../../../../src/catalog/read.js';
import type { CommandResult, Connection, StreamingCommand } from '../../../../src/connection/connection.js';
import { catalogModule, type CatalogArgs } from '../../../../src/modules/catalog.js';
import { decryptCommand, identityRecipientsCommand } from '../../../../src/modules/catalog/decrypt.js';
import { encryptCommand, encryptionOf } from '../../../../src/modules/catalog/encrypt.js';
import { makeDestCommand } from '../../../../src/modules/catalog/fetched.js';
import { parseListing } from '../../../../src/modules/catalog/produce.js';
import { type Answer, fakeHost, receivingHost } from '../fake-host.js';

// Encryption at rest, facts in and commands out: the commands encrypt and decrypt for real with
// the machine's age (the lab does it end to end: test/integration/encrypted-backups.test.ts),
// and fetched, with scripted hosts, never puts the identity anywhere but on age's stdin.
const top = mkdtempSync(join(tmpdir(), 'catalog-age-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));
const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function keyPair(name: string): { identity: string; recipient: string } {
  const file = join(top, name);
  execFileSync('age-keygen', ['-o', file], { stdio: 'ignore' });
  return { identity: readFileSync(file, 'utf8'), recipient: execFileSync('age-keygen', ['-y', file], { encoding: 'utf8' }).trim() };
}
const mine = keyPair('mine.txt');
const other = keyPair('other.txt');

describe('encryptCommand and decryptCommand, run for real', () => {
  it('encrypts each file to every recipient in place, lists only ciphertext; each identity decrypts it back', () => {
    const dir = join(top, 'out');
    execFileSync('mkdir', ['-m', '700', dir]);
    writeFileSync(join(dir, 'nova.sql.gz'), 'INSERT INTO cell_mappings VALUES (secret)');
    writeFileSync(join(dir, '-rf x.tar.gz'), 'an odd name');
    const listing = execFileSync('bash', ['-c', encryptCommand(dir, [mine.recipient, other.recipient]).text], { encoding: 'utf8' });
    expect(readdirSync(dir).sort()).toEqual(['-rf x.tar.gz.age', 'nova.sql.gz.age']);
    const stored = parseListing(listing);
    expect(stored.map((f) => f.name).sort()).toEqual(['-rf x.tar.gz.age', 'nova.sql.gz.age']);
    const cipher = readFileSync(join(dir, 'nova.sql.gz.age'));
    expect(cipher.toString('latin1')).not.toContain('secret');
    expect(stored.find((f) => f.name === 'nova.sql.gz.age')).toEqual({ name: 'nova.sql.gz.age', size: cipher.length, sha256: sha(cipher) });
    for (const { identity } of [mine, other]) {
      execFileSync('cp', [join(dir, 'nova.sql.gz.age'), join(top, 'in.age')]);
      const target = join(top, 'nova.sql.gz');
      const out = execFileSync('bash', ['-c', decryptCommand(join(top, 'in.age'), target).text], { input: identity, encoding: 'utf8' });
      const plain = 'INSERT INTO cell_mappings VALUES (secret)';
      expect(out).toBe(`${plain.length} ${sha(plain)}\n`);
      expect(readFileSync(target, 'utf8')).toBe(plain);
      expect(readdirSync(top)).not.toContain('in.age');
    }
  });

  it('quotes every recipient as one word, and the identity is never in a command', () => {
    expect(encryptCommand('/var/tmp/o', ['age1x', "ssh-ed25519 AAAA'x"]).text).toContain(`age -e -r age1x -r 'ssh-ed25519 AAAA'\\''x' -o "./$f.age" "./$f"`);
    expect(decryptCommand('/d/.x.part', '/d/x').text).toMatch(/^umask 077 && age -d -i - -o \/d\/x \/d\/.x.part && rm -f -- \/d\/.x.part && /);
    expect(identityRecipientsCommand().text).toBe('age-keygen -y');
  });

  it('a stored step\'s recipients are checked; none means not encrypted', () => {
    const args = (recipients: CatalogArgs['recipients']): CatalogArgs => ({ state: 'stored', storage: 's', root: '/b', kind: 'db', recipients });
    expect(encryptionOf(args(''))).toEqual({ ok: true, encryption: null });
    expect(encryptionOf(args([mine.recipient]))).toEqual({ ok: true, encryption: { method: 'age', recipients: [mine.recipient] } });
    expect(encryptionOf(args(`${mine.recipient} nope`))).toMatchObject({ ok: false, problem: expect.stringMatching(/^recipients: backup_age_recipients\[1\]: "nope" is not a recipient/) });
  });
});

const ROOT = '/var/backups/openstack';
const ID = '20261202-020000-cccc';
const DIR = `${ROOT}/db/h1/${ID}`;
const DEST = '/var/tmp/work/db';
const PLAIN = 'the dump';
const CIPHER = 'age-encryption.org/v1 ... ciphertext';
const FILES = [{ name: 'nova.sql.gz.age', size: CIPHER.length, sha256: sha(CIPHER), plain: { size: PLAIN.length, sha256: sha(PLAIN) } }];
const LISTING = `\u001edb/h1/${ID}\n${JSON.stringify({
  format: 'runbook-backup/1', id: ID, kind: 'db', host: 'h1', created: '2026-12-02T02:00:00.000Z', run: { id: 'x', runbook: 'backup-db', version: '1.3.0' },
  source_digest: '', contents: {}, depends_on: null, files: FILES, verified: true, verified_at: '2026-12-02T02:00:00.000Z',
  encryption: { method: 'age', recipients: [mine.recipient] },
})}`;
const CHECK_FILES = /^while IFS= read -r f; do /;
const CIPHER_TEMP = `${DEST}/.nova.sql.gz.age.runbook-r1-step.part`;
const DECRYPT = decryptCommand(CIPHER_TEMP, `${DEST}/nova.sql.gz`).text;
const done = (command: string): CommandResult => ({ command, exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false, aborted: false });

function storageHost() {
  const storage = fakeHost([{ command: listManifestsCommand(ROOT).text, stdout: LISTING }, { command: CHECK_FILES, stdout: `${CIPHER.length} ${sha(CIPHER)}\n` }]);
  const connection: Connection = {
    ...storage.ctx.connection,
    host: 'stor1',
    stream: async (command): Promise<StreamingCommand> => {
      storage.commands.push(command);
      return { stdin: new PassThrough(), stdout: Readable.from([Buffer.from(CIPHER)]), done: Promise.resolve(done(command)) };
    },
  };
  return { ...storage, connection };
}

const args = (identity?: string): CatalogArgs => ({ state: 'fetched', storage: 'stor1', root: ROOT, kind: 'db', dest: DEST, ...(identity === undefined ? {} : { identity }) });

describe('catalog fetched: an encrypted backup', () => {
  it.each([['no identity', undefined], ['an empty one (an optional secret not set)', '']])('with %s fails its check naming the backup and its recipients; nothing runs on the host', async (_, identity) => {
    const storage = storageHost();
    const host = receivingHost([], storage.connection);
    const check = await catalogModule.check(host.ctx, args(identity));
    expect(check).toMatchObject({ status: 'failed', message: expect.stringMatching(new RegExp(`^backup ${ID} \\(db of h1\\) is encrypted with age to age1\\S+, and no identity was given to decrypt it: set the secret age_identity \\(RUNBOOK_AGE_IDENTITY`)) });
    expect(host.commands).toEqual([]);
  });

  it('with an identity that is none of the recipients fails its check; the identity went to age-keygen on stdin only', async () => {
    const storage = storageHost();
    const host = receivingHost([{ command: 'age-keygen -y', stdout: `${other.recipient}\n` }], storage.connection);
    const check = await catalogModule.check(host.ctx, args(other.identity));
    expect(check).toMatchObject({ status: 'failed', message: expect.stringContaining(`the identity given (secret age_identity, public key ${other.recipient}) is none of the recipients backup ${ID}`) });
    expect(host.commands).toEqual(['age-keygen -y']);
    expect(host.stdins[0]).toBe(`${other.identity.trim()}\n`);
  });

  it('with the identity: dest is checked by the plaintext names and digests; apply fetches the ciphertext hidden, decrypts it to the plain name', async () => {
    const storage = storageHost();
    const host = receivingHost([
      { command: 'age-keygen -y', stdout: `${mine.recipient}\n` },
      { command: CHECK_FILES, stdout: 'missing\n' },
      { command: makeDestCommand(DEST).text, stdout: 'existed\n' },
      { command: /^if \[ -e /, stdout: '' },
      { command: DECRYPT, stdout: `${PLAIN.length} ${sha(PLAIN)}\n` },
    ], storage.connection);
    const check = await catalogModule.check(host.ctx, args(mine.identity));
    expect(check.status).toBe('change');
    expect(host.stdins[1]).toBe(`${DEST}/nova.sql.gz\n`);
    if (check.status !== 'change') return;
    expect(await catalogModule.apply(host.ctx, args(mine.identity), check.prior)).toMatchObject({ ok: true });
    expect(host.commands.slice(2)).toEqual([makeDestCommand(DEST).text, expect.stringContaining(`[ -e ${DEST}/nova.sql.gz ]`), `mkdir -p -- ${DEST} && umask 077 && cat > ${CIPHER_TEMP}`, DECRYPT]);
    expect(storage.commands.at(-1)).toBe(`exec cat -- ${DIR}/nova.sql.gz.age`);
    expect(check.prior).toMatchObject({ written: [`${DEST}/nova.sql.gz`, CIPHER_TEMP] });
    const secretLine = mine.identity.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-')) ?? 'none';
    for (const command of [...host.commands, ...storage.commands]) expect(command).not.toContain(secretLine);
    expect(host.stdins.at(-1)).toBe(`${mine.identity.trim()}\n`);
  });

  it('a plaintext that does not match its digest fails apply, naming the file and both digests', async () => {
    const storage = storageHost();
    const host = receivingHost([
      { command: makeDestCommand(DEST).text, stdout: 'existed\n' },
      { command: /^if \[ -e /, stdout: '' },
      { command: DECRYPT, stdout: `${PLAIN.length} ${'0'.repeat(64)}\n` },
    ], storage.connection);
    const prior = { entry: { ...JSON.parse(LISTING.split('\n').slice(1).join('\n')), dir: DIR, restore_test: null } };
    expect(await catalogModule.apply(host.ctx, args(mine.identity), prior)).toMatchObject({ ok: false, message: `nova.sql.gz decrypted to sha256 ${'0'.repeat(64)}, the manifest says ${sha(PLAIN)}` });
  });

  it('an identity refused by age fails apply with age\'s reason; the commands are data', async () => {
    const storage = storageHost();
    const answers: Answer[] = [
      { command: makeDestCommand(DEST).text, stdout: 'existed\n' },
      { command: /^if \[ -e /, stdout: '' },
      { command: DECRYPT, exitCode: 1 },
    ];
    const host = receivingHost(answers, storage.connection);
    const prior = { entry: { ...JSON.parse(LISTING.split('\n').slice(1).join('\n')), dir: DIR, restore_test: null } };
    expect(await catalogModule.apply(host.ctx, args('-----BEGIN OPENSSH PRIVATE KEY-----'), prior)).toMatchObject({ ok: false, message: expect.stringMatching(/^nova\.sql\.gz\.age cannot be decrypted on h1 with the identity given/) });
  });
});
