import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandResult, Connection, StreamingCommand } from '../../../src/connection/connection.js';
import { catalogModule, type CatalogArgs } from '../../../src/modules/catalog.js';
import { fakeHost, receivingHost, type Answer } from './fake-host.js';

// The catalog module's checks of what a manifest says, with a scripted storage host: the size
// is checked on the storage host and on arrival, and a refused manifest stops a step before
// anything is read from its folder. The lab proves the same end to end
// (test/integration/tampered-manifest.test.ts); a file that changes between the storage host's
// check and the fetch can only be staged here.
const ROOT = '/var/backups/openstack';
const ID = '20261120-020000-ab12';
const STORED = 'abc';
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const manifest = (files: Array<{ name: string; size: number; sha256: string }>) =>
  JSON.stringify({
    format: 'runbook-backup/1', id: ID, kind: 'db', host: 'h1', created: '2026-11-20T02:00:00.000Z', run: { id: ID, runbook: 'backup-db', version: '1.0.0' },
    source_digest: '', contents: {}, depends_on: null, files, verified: true, verified_at: null,
  });
const GOOD = manifest([{ name: 'nova.sql.gz', size: STORED.length, sha256: sha256(STORED) }]);

const done = (command: string): CommandResult => ({ command, exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false, aborted: false });

/** A storage host whose catalog holds one backup, and whose `cat` of a backup file sends `sends`. */
function storageHost(manifestText: string, lines: string, sends: string) {
  const storage = fakeHost([
    { command: /^\[ -d / , stdout: `\u001edb/h1/${ID}\n${manifestText}` },
    { command: /^while IFS= read -r f/, stdout: lines },
  ] satisfies Answer[]);
  const connection: Connection = {
    ...storage.ctx.connection,
    host: 'stor1',
    stream: async (command): Promise<StreamingCommand> => {
      storage.commands.push(command);
      return { stdin: new PassThrough(), stdout: Readable.from([Buffer.from(sends)]), done: Promise.resolve(done(command)) };
    },
  };
  return { ...storage, connection };
}

/** The host restored: nothing of the backup in dest yet; a stream into it takes what comes. */
function restoredHost(storage: Connection) {
  return receivingHost(
    [
      { command: /^while IFS= read -r f/, stdout: 'missing\n' },
      { command: /^if \[ -d /, stdout: 'made 1\n' },
      { command: /^if \[ -e .* \|\| \[ -L /, stdout: '' },
    ],
    storage,
  );
}

const args = (state: CatalogArgs['state'], more: Partial<CatalogArgs> = {}): CatalogArgs => ({ state, storage: 'stor1', root: ROOT, kind: 'db', ...more });

describe('catalog: sizes are checked as well as sha256s', () => {
  it('found with verify fails when a file on the storage host has another size than its manifest says', async () => {
    const storage = storageHost(GOOD, `4 ${sha256(STORED)}\n`, STORED);
    const host = restoredHost(storage.connection);
    const checked = await catalogModule.check(host.ctx, args('found', { verify: true }));
    expect(checked).toMatchObject({ status: 'failed', message: `backup ${ID} in ${ROOT}/db/h1/${ID} on stor1 does not match its manifest: nova.sql.gz is 4 bytes, the manifest says 3` });
  });

  it('the paths to check go on stdin, never on a command line', async () => {
    const storage = storageHost(GOOD, `3 ${sha256(STORED)}\n`, STORED);
    const host = restoredHost(storage.connection);
    await catalogModule.check(host.ctx, args('found', { verify: true }));
    expect(storage.stdins).toContain(`${ROOT}/db/h1/${ID}/nova.sql.gz\n`);
    expect(storage.commands.join('\n')).not.toContain('nova.sql.gz');
  });

  it('fetched fails when what arrives has another size than the manifest says (the file changed after the check)', async () => {
    const storage = storageHost(GOOD, `3 ${sha256(STORED)}\n`, 'abcd');
    const host = restoredHost(storage.connection);
    const checked = await catalogModule.check(host.ctx, args('fetched', { dest: '/var/tmp/work/db' }));
    expect(checked.status).toBe('change');
    const prior = checked.status === 'change' ? checked.prior : {};
    const applied = await catalogModule.apply(host.ctx, args('fetched', { dest: '/var/tmp/work/db' }), prior);
    expect(applied).toMatchObject({ ok: false, message: 'nova.sql.gz arrived with 4 bytes, the manifest says 3' });
    expect(storage.commands).toContain(`exec cat -- ${ROOT}/db/h1/${ID}/nova.sql.gz`);
  });

  it('fetched refuses a relative dest: where it lands would depend on the login directory', async () => {
    const storage = storageHost(GOOD, '', STORED);
    const host = restoredHost(storage.connection);
    expect(await catalogModule.check(host.ctx, args('fetched', { dest: 'work/db' }))).toMatchObject({ status: 'failed', message: 'dest "work/db" is not an absolute path' });
    expect(storage.commands).toEqual([]);
  });
});

describe('catalog: a refused manifest is never read by', () => {
  const TAMPERED = manifest([{ name: '../../../var/tmp/x', size: 3, sha256: sha256(STORED) }]);

  it.each(['found', 'fetched', 'tested'] as const)('%s fails on the listing alone, naming the folder, the field and the value', async (state) => {
    const storage = storageHost(TAMPERED, `3 ${sha256(STORED)}\n`, STORED);
    const host = restoredHost(storage.connection);
    const checked = await catalogModule.check(host.ctx, args(state, { verify: true, dest: '/var/tmp/work/db', id: state === 'tested' ? ID : 'latest' }));
    expect(checked.status).toBe('failed');
    expect(checked.status === 'failed' && checked.message).toMatch(
      new RegExp(`^backup ${ID} in ${ROOT}/db/h1/${ID} on stor1 is refused, nothing was read from it: manifest\\.json:1:\\d+: 'files\\[0\\]\\.name' is "\\.\\./\\.\\./\\.\\./var/tmp/x": not a plain file name`),
    );
    expect(storage.commands).toEqual([expect.stringMatching(/^\[ -d /)]);
    expect(host.commands).toEqual([]);
  });
});
