import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listManifestsCommand } from '../../../../src/catalog/read.js';
import type { CommandResult, Connection, StreamingCommand } from '../../../../src/connection/connection.js';
import { catalogModule, type CatalogArgs } from '../../../../src/modules/catalog.js';
import { makeDestCommand } from '../../../../src/modules/catalog/fetched.js';
import { type Answer, fakeHost, receivingHost } from '../fake-host.js';

// catalog with state: fetched, pyinfra style: the catalog and what dest holds in, the commands
// on both hosts out. test/unit/modules/catalog.test.ts covers sizes and refused manifests; the
// lab fetches for real (test/integration/recover.test.ts).
const ROOT = '/var/backups/openstack';
const ID = '20261119-020000-bbbb';
const DIR = `${ROOT}/db/h1/${ID}`;
const DEST = '/var/tmp/work/db';
const DATA = { nova: 'abc', keystone: 'defg' };
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const FILES = [
  { name: 'nova.sql.gz', size: 3, sha256: sha(DATA.nova) },
  { name: 'keystone.sql.gz', size: 4, sha256: sha(DATA.keystone) },
];
const LISTING = `\u001edb/h1/${ID}\n${JSON.stringify({
  format: 'runbook-backup/1', id: ID, kind: 'db', host: 'h1', created: '2026-11-19T02:00:00.000Z', run: { id: 'x', runbook: 'backup-db', version: '1.0.0' },
  source_digest: '', contents: {}, depends_on: null, files: FILES, verified: true, verified_at: '2026-11-19T02:00:00.000Z',
})}`;
const args: CatalogArgs = { state: 'fetched', storage: 'stor1', root: ROOT, kind: 'db', dest: DEST, only: ['nova'] };
const CHECK_FILES = /^while IFS= read -r f; do /;
const MADE = makeDestCommand(DEST).text;
const KEEP = `if [ -e ${DEST}/nova.sql.gz ] || [ -L ${DEST}/nova.sql.gz ]; then mv -f -- ${DEST}/nova.sql.gz ${DEST}/.nova.sql.gz.runbook-r1-step && echo kept; fi`;
const RECEIVE = `mkdir -p -- ${DEST} && umask 077 && cat > ${DEST}/nova.sql.gz`;

const finished = (command: string): CommandResult => ({ command, exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false, aborted: false });

function storageHost() {
  const storage = fakeHost([{ command: listManifestsCommand(ROOT).text, stdout: LISTING }, { command: CHECK_FILES, stdout: `3 ${sha(DATA.nova)}\n` }]);
  const connection: Connection = {
    ...storage.ctx.connection,
    host: 'stor1',
    stream: async (command): Promise<StreamingCommand> => {
      storage.commands.push(command);
      return { stdin: new PassThrough(), stdout: Readable.from([Buffer.from(DATA.nova)]), done: Promise.resolve(finished(command)) };
    },
  };
  return { ...storage, connection };
}

function dataHost(storage: Connection, answers: Answer[]) {
  return receivingHost(answers, storage);
}

describe('catalog fetched', () => {
  it('dest already holds the selected files: ok, checked on both hosts, nothing fetched', async () => {
    const storage = storageHost();
    const host = dataHost(storage.connection, [{ command: CHECK_FILES, stdout: `3 ${sha(DATA.nova)}\n` }]);
    expect(await catalogModule.check(host.ctx, args)).toMatchObject({ status: 'ok', facts: { backup: { id: ID } } });
    expect(storage.commands).toEqual([listManifestsCommand(ROOT).text, expect.stringMatching(CHECK_FILES)]);
    expect(host.commands).toEqual([expect.stringMatching(CHECK_FILES)]);
    // Only the selected file's path goes on stdin, on both hosts.
    expect(storage.stdins[1]).toBe(`${DIR}/nova.sql.gz\n`);
    expect(host.stdins[0]).toBe(`${DEST}/nova.sql.gz\n`);
  });

  it('a file to replace: kept aside, fetched in its place; rollback puts it back; commit drops the kept one', async () => {
    const rollback = `rm -f -- ${DEST}/nova.sql.gz && mv -f -- ${DEST}/.nova.sql.gz.runbook-r1-step ${DEST}/nova.sql.gz`;
    const commit = `rm -f -- ${DEST}/.nova.sql.gz.runbook-r1-step`;
    const storage = storageHost();
    const host = dataHost(storage.connection, [
      { command: CHECK_FILES, stdout: `3 ${'0'.repeat(64)}\n` },
      { command: MADE, stdout: 'existed\n' },
      { command: KEEP, stdout: 'kept\n' },
      { command: rollback },
      { command: commit },
    ]);
    const check = await catalogModule.check(host.ctx, args);
    expect(check.status).toBe('change');
    if (check.status !== 'change') return;
    expect(await catalogModule.apply(host.ctx, args, check.prior)).toMatchObject({ ok: true });
    expect(check.prior).toMatchObject({ madeDirs: [], written: [`${DEST}/nova.sql.gz`], aside: [{ path: `${DEST}/nova.sql.gz`, aside: `${DEST}/.nova.sql.gz.runbook-r1-step` }] });
    await catalogModule.rollback!(host.ctx, args, check.prior);
    await catalogModule.commit!(host.ctx, args, check.prior);
    expect(host.commands).toEqual([expect.stringMatching(CHECK_FILES), MADE, KEEP, RECEIVE, rollback, commit]);
    expect(storage.commands.at(-1)).toBe(`exec cat -- ${DIR}/nova.sql.gz`);
  });

  it('makes dest and its missing parents under sh, and says how many it made', () => {
    const top = mkdtempSync(join(tmpdir(), 'fetched-'));
    const dest = join(top, 'work', 'a b', 'db');
    expect(execFileSync('sh', ['-c', makeDestCommand(dest).text], { encoding: 'utf8' })).toBe('made 3\n');
    expect(execFileSync('sh', ['-c', makeDestCommand(dest).text], { encoding: 'utf8' })).toBe('existed\n');
    rmSync(top, { recursive: true });
  });

  it.each([
    ['dest alone', 'made 1\n', `rmdir -- ${DEST}`],
    ['dest and the work folder above it', 'made 2\n', `rmdir -- ${DEST} ${posix.dirname(DEST)}`],
  ])('a dest it made is removed again on rollback (%s); with nothing kept, commit runs nothing', async (_, said, rmdir) => {
    const storage = storageHost();
    const rollback = `rm -f -- ${DEST}/nova.sql.gz && ${rmdir}`;
    const host = dataHost(storage.connection, [{ command: MADE, stdout: said }, { command: KEEP, stdout: '' }, { command: rollback }]);
    const prior = { entry: { ...JSON.parse(LISTING.split('\n').slice(1).join('\n')), dir: DIR, restore_test: null } };
    await catalogModule.apply(host.ctx, args, prior);
    await catalogModule.rollback!(host.ctx, args, prior);
    expect(await catalogModule.commit!(host.ctx, args, prior)).toEqual({ ok: true, commands: [] });
    expect(host.commands).toEqual([MADE, KEEP, RECEIVE, rollback]);
  });

  it('only names no file of the backup: the check fails before reading any file', async () => {
    const storage = storageHost();
    const host = dataHost(storage.connection, []);
    expect(await catalogModule.check(host.ctx, { ...args, only: 'glance' })).toMatchObject({ status: 'failed', message: `backup ${ID} has none of glance` });
    expect(host.commands).toEqual([]);
  });
});
