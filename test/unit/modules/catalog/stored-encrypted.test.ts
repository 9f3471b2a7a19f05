import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listManifestsCommand } from '../../../../src/catalog/read.js';
import type { CommandResult, Connection, StreamingCommand } from '../../../../src/connection/connection.js';
import { catalogModule, type CatalogArgs } from '../../../../src/modules/catalog.js';
import { encryptCommand } from '../../../../src/modules/catalog/encrypt.js';
import { listFilesCommand } from '../../../../src/modules/catalog/produce.js';
import { type Answer, fakeHost } from '../fake-host.js';

// catalog stored with recipients, pyinfra style: what produce wrote and what the catalog holds
// in, the commands out. The files are encrypted in the private folder before anything is sent;
// "unchanged" is decided on the plaintext and the recipients.
const ROOT = '/var/backups/openstack';
const AGE = 'age1tq6vnfl4d5qqys0ytxk57rpgv6yutmqah6vzxp5d994fzxljysmqwpd0r3';
const AGE2 = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const sha = (data: string): string => createHash('sha256').update(data).digest('hex');
const DUMP = 'abc';
const CIPHER = 'age-encryption.org/v1 ciphertext of abc';
const OUT = '/var/tmp/runbook-r1-step-h1';
const DIR = `${ROOT}/db/h1/r1`;
const PRODUCE = 'echo abc > "$OUT/nova.sql.gz"';
const args = (recipients: CatalogArgs['recipients']): CatalogArgs => ({ state: 'stored', storage: 'stor1', root: ROOT, kind: 'db', produce: PRODUCE, recipients });

const HERE = {
  made: `rm -rf -- ${OUT} && mkdir -m 700 -- ${OUT}`,
  produce: /^OUT=/,
  list: listFilesCommand(OUT).text,
  encrypt: encryptCommand(OUT, [AGE]).text,
  send: `exec cat -- ${OUT}/nova.sql.gz.age`,
  cleanup: `rm -rf -- ${OUT}`,
};
const MANIFEST = `umask 077 && cat > ${DIR}/.manifest.json.part && mv -f -- ${DIR}/.manifest.json.part ${DIR}/manifest.json`;
const finished = (command: string): CommandResult => ({ command, exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false, aborted: false });

/** The catalog's newest db backup of h1, of the dump DUMP: as plaintext, or encrypted to `recipients`. */
function newest(recipients: string[] | null): string {
  const files = recipients ? [{ name: 'nova.sql.gz.age', size: 99, sha256: 'c'.repeat(64), plain: { size: 3, sha256: sha(DUMP) } }] : [{ name: 'nova.sql.gz', size: 3, sha256: sha(DUMP) }];
  return `\u001edb/h1/20261119-020000-bbbb\n${JSON.stringify({
    format: 'runbook-backup/1', id: '20261119-020000-bbbb', kind: 'db', host: 'h1', created: '2026-11-19T02:00:00.000Z', run: { id: 'x', runbook: 'backup-db', version: '1.3.0' },
    source_digest: '', contents: {}, depends_on: null, files, verified: true, verified_at: '2026-11-19T02:00:00.000Z',
    encryption: recipients ? { method: 'age', recipients } : null,
  })}`;
}

/** The storage host with the catalog `listing`; the step's host produces DUMP and sends `sends` of the file asked for. */
function hosts(listing: string, storageAnswers: Answer[], sends = CIPHER) {
  const storage = fakeHost([{ command: listManifestsCommand(ROOT).text, stdout: listing }, ...storageAnswers]);
  const storageConnection: Connection = {
    ...storage.ctx.connection,
    host: 'stor1',
    stream: async (command): Promise<StreamingCommand> => {
      storage.commands.push(command);
      const stdin = new PassThrough();
      stdin.resume();
      return { stdin, stdout: Readable.from([]), done: new Promise((resolve) => stdin.on('finish', () => resolve(finished(command)))) };
    },
  };
  const host = fakeHost([
    { command: HERE.made },
    { command: HERE.produce },
    { command: HERE.list, stdout: `3 ${sha(DUMP)}  nova.sql.gz\n` },
    { command: HERE.encrypt, stdout: `${CIPHER.length} ${sha(CIPHER)}  nova.sql.gz.age\n` },
    { command: HERE.cleanup },
  ]);
  const connection: Connection = {
    ...host.ctx.connection,
    stream: async (command): Promise<StreamingCommand> => {
      host.commands.push(command);
      return { stdin: new PassThrough(), stdout: Readable.from([Buffer.from(sends)]), done: Promise.resolve(finished(command)) };
    },
  };
  return { storage, host: { ...host, ctx: { ...host.ctx, connection, connectionTo: async () => storageConnection } } };
}

describe('catalog stored with recipients', () => {
  it('encrypts in the private folder before anything is sent; stores the ciphertext; the manifest says for whom, with each plaintext digest', async () => {
    const { storage, host } = hosts('', [
      { command: /^mkdir -p -- / },
      { command: `mv -- ${DIR}/.nova.sql.gz.age.part ${DIR}/nova.sql.gz.age` },
      { command: /^while IFS= read -r f/, stdout: `${CIPHER.length} ${sha(CIPHER)}\n` },
      { command: MANIFEST },
    ]);
    const applied = await catalogModule.apply(host.ctx, args([AGE]), {});
    expect(applied).toMatchObject({ ok: true });
    expect(host.commands).toEqual([HERE.made, expect.stringMatching(HERE.produce), HERE.list, HERE.encrypt, HERE.send, HERE.cleanup]);
    const manifestText = storage.stdins[storage.commands.filter((c) => !c.includes('cat > ') || c.startsWith('umask')).indexOf(MANIFEST)];
    const manifest = JSON.parse(String(manifestText)) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      encryption: { method: 'age', recipients: [AGE] },
      files: [{ name: 'nova.sql.gz.age', size: CIPHER.length, sha256: sha(CIPHER), plain: { size: 3, sha256: sha(DUMP) } }],
    });
  });

  it('the same plaintext, encrypted to the same recipients: nothing is encrypted or sent', async () => {
    const { storage, host } = hosts(newest([AGE]), []);
    expect(await catalogModule.apply(host.ctx, args([AGE]), {})).toMatchObject({ ok: true, changed: false, facts: { matches: true } });
    expect(host.commands).toEqual([HERE.made, expect.stringMatching(HERE.produce), HERE.list, HERE.cleanup]);
    expect(storage.commands).toEqual([listManifestsCommand(ROOT).text]);
  });

  it.each([
    ['the newest backup is plaintext (recipients were just declared)', newest(null)],
    ['the newest backup is encrypted to other recipients (a rotation)', newest([AGE, AGE2])],
  ])('the same plaintext, but %s: a new backup', async (_, listing) => {
    const { host } = hosts(listing, [
      { command: /^mkdir -p -- / },
      { command: /^mv -- / },
      { command: /^while IFS= read -r f/, stdout: `${CIPHER.length} ${sha(CIPHER)}\n` },
      { command: MANIFEST },
    ]);
    expect(await catalogModule.apply(host.ctx, args(`${AGE}`), {})).toMatchObject({ ok: true });
    expect(host.commands).toContain(HERE.encrypt);
  });

  it('no recipients, the newest encrypted: a new plaintext backup (the inventory dropped encryption)', async () => {
    const { host } = hosts(newest([AGE]), [
      { command: /^mkdir -p -- / },
      { command: /^mv -- / },
      { command: /^while IFS= read -r f/, stdout: `3 ${sha(DUMP)}\n` },
      { command: MANIFEST },
    ], DUMP);
    expect(await catalogModule.apply(host.ctx, { ...args(''), recipients: '' }, {})).toMatchObject({ ok: true });
    expect(host.commands).not.toContain(HERE.encrypt);
  });

  it('a recipient that is not one fails the check before anything runs, naming the host', async () => {
    const { storage, host } = hosts('', []);
    expect(await catalogModule.check(host.ctx, args(['age1nope']))).toMatchObject({ status: 'failed', message: expect.stringMatching(/^h1: recipients: backup_age_recipients\[0\]: "age1nope" is not a recipient/) });
    expect([...host.commands, ...storage.commands]).toEqual([]);
  });

  it('age missing on the host fails the step saying so, and the private folder is removed', async () => {
    const { host } = hosts('', []);
    const ctx = { ...host.ctx, exec: async (command: string, options?: { stdin?: string | Buffer }) => (command === HERE.encrypt ? { ...finished(command), exitCode: 127 } : host.ctx.exec(command, options)) };
    expect(await catalogModule.apply(ctx, args([AGE]), {})).toMatchObject({ ok: false, message: expect.stringMatching(/^age is not installed on h1/) });
    expect(host.commands.at(-1)).toBe(HERE.cleanup);
  });
});
