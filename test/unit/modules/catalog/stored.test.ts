import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listManifestsCommand } from '../../../../src/catalog/read.js';
import type { CommandResult, Connection, StreamingCommand } from '../../../../src/connection/connection.js';
import { catalogModule, type CatalogArgs } from '../../../../src/modules/catalog.js';
import { type Answer, fakeHost } from '../fake-host.js';

// catalog with state: stored, pyinfra style: what produce wrote and what the catalog holds in,
// the commands on the step's host and on the storage host out. The lab runs it for real
// (test/integration/recover.test.ts, rotate.test.ts).
const ROOT = '/var/backups/openstack';
const DUMP = 'abc';
const SUM = createHash('sha256').update(DUMP).digest('hex');
const OUT = '/var/tmp/runbook-r1-step-h1';
const DIR = `${ROOT}/db/h1/r1`;
const PRODUCE = 'mysqldump nova | gzip -n > "$OUT/nova.sql.gz"';
const args: CatalogArgs = { state: 'stored', storage: 'stor1', root: ROOT, kind: 'db', produce: PRODUCE, stdin: '[client]\npassword=s3cret\n' };

const HERE = {
  made: `rm -rf -- ${OUT} && mkdir -m 700 -- ${OUT}`,
  produce: `OUT=${OUT}; export OUT; exec bash --norc --noprofile -euo pipefail -c '${PRODUCE.replace(/'/g, "'\\''")}'`,
  list: `cd ${OUT} && for f in *; do [ -f "$f" ] && printf '%s %s\\n' "$(stat -c %s -- "$f")" "$(sha256sum -- "$f")"; done; true`,
  send: `exec cat -- ${OUT}/nova.sql.gz`,
  cleanup: `rm -rf -- ${OUT}`,
};
const STORAGE = {
  list: listManifestsCommand(ROOT).text,
  mkdir: `mkdir -p -- ${ROOT}/db/h1 && { [ -d ${DIR} ] && [ ! -e ${DIR}/manifest.json ] && rm -rf -- ${DIR}; mkdir -m 700 -- ${DIR}; }`,
  receive: `mkdir -p -- ${DIR} && umask 077 && cat > ${DIR}/.nova.sql.gz.part`,
  rename: `mv -- ${DIR}/.nova.sql.gz.part ${DIR}/nova.sql.gz`,
  manifest: `umask 077 && cat > ${DIR}/.manifest.json.part && mv -f -- ${DIR}/.manifest.json.part ${DIR}/manifest.json`,
  rollback: `rm -rf -- ${DIR}`,
};

const finished = (command: string): CommandResult => ({ command, exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false, aborted: false });

const newest = (sha256: string) =>
  `\u001edb/h1/20261119-020000-bbbb\n${JSON.stringify({
    format: 'runbook-backup/1', id: '20261119-020000-bbbb', kind: 'db', host: 'h1', created: '2026-11-19T02:00:00.000Z', run: { id: 'x', runbook: 'backup-db', version: '1.0.0' },
    source_digest: '', contents: {}, depends_on: null, files: [{ name: 'nova.sql.gz', size: 3, sha256 }], verified: true, verified_at: '2026-11-19T02:00:00.000Z',
  })}`;

/** The storage host: the catalog as `listing`, streams that take what comes. */
function storageHost(listing: string, more: Answer[]) {
  const storage = fakeHost([{ command: STORAGE.list, stdout: listing }, ...more]);
  const connection: Connection = {
    ...storage.ctx.connection,
    host: 'stor1',
    stream: async (command): Promise<StreamingCommand> => {
      storage.commands.push(command);
      const stdin = new PassThrough();
      stdin.resume();
      return { stdin, stdout: Readable.from([]), done: new Promise((resolve) => stdin.on('finish', () => resolve(finished(command)))) };
    },
  };
  return { ...storage, connection };
}

/** The step's host: produce writes one file, DUMP. */
function dataHost(storage: Connection) {
  const host = fakeHost([{ command: HERE.made }, { command: HERE.produce }, { command: HERE.list, stdout: `3 ${SUM}  nova.sql.gz\n` }, { command: HERE.cleanup }]);
  const connection: Connection = {
    ...host.ctx.connection,
    stream: async (command): Promise<StreamingCommand> => {
      host.commands.push(command);
      return { stdin: new PassThrough(), stdout: Readable.from([Buffer.from(DUMP)]), done: Promise.resolve(finished(command)) };
    },
  };
  return { ...host, ctx: { ...host.ctx, connection, connectionTo: async () => storage } };
}

describe('catalog stored', () => {
  it('a new backup: produced here, streamed to a new folder, checked there, manifest last; rollback removes the folder', async () => {
    const storage = storageHost('', [{ command: STORAGE.mkdir }, { command: STORAGE.rename }, { command: /^while IFS= read -r f/, stdout: `3 ${SUM}\n` }, { command: STORAGE.manifest }, { command: STORAGE.rollback }]);
    const host = dataHost(storage.connection);
    const check = await catalogModule.check(host.ctx, args);
    expect(check).toEqual({ status: 'unknown', prior: {}, commands: [] });
    if (check.status !== 'unknown') return;
    const applied = await catalogModule.apply(host.ctx, args, check.prior);
    expect(applied).toMatchObject({ ok: true, facts: { found: true, matches: true, backup: { id: 'r1', dir: DIR, files: [{ name: 'nova.sql.gz', size: 3, sha256: SUM }] } } });
    expect(check.prior).toEqual({ made: DIR });
    await catalogModule.rollback!(host.ctx, args, check.prior);
    expect(host.commands).toEqual([HERE.made, HERE.produce, HERE.list, HERE.send, HERE.cleanup]);
    expect(host.stdins[1]).toBe(args.stdin);
    expect(storage.commands).toEqual([STORAGE.list, STORAGE.list, STORAGE.mkdir, STORAGE.receive, STORAGE.rename, expect.stringMatching(/^while IFS= read -r f/), STORAGE.manifest, STORAGE.rollback]);
    // stdins are of exec'd commands only: the stream is not one.
    const execs = storage.commands.filter((c) => c !== STORAGE.receive);
    const manifest = JSON.parse(String(storage.stdins[execs.indexOf(STORAGE.manifest)])) as { id: string; files: unknown[]; verified: boolean };
    expect(manifest).toMatchObject({ id: 'r1', files: [{ name: 'nova.sql.gz', size: 3, sha256: SUM }], verified: true });
  });

  it('what produce wrote equals the newest backup: nothing is sent, nothing changes', async () => {
    const storage = storageHost(newest(SUM), []);
    const host = dataHost(storage.connection);
    const check = await catalogModule.check(host.ctx, args);
    expect(check.status).toBe('unknown');
    const applied = await catalogModule.apply(host.ctx, args, {});
    expect(applied).toMatchObject({ ok: true, changed: false, facts: { matches: true, backup: { id: '20261119-020000-bbbb' } } });
    expect(host.commands).toEqual([HERE.made, HERE.produce, HERE.list, HERE.cleanup]);
    expect(storage.commands).toEqual([STORAGE.list, STORAGE.list]);
  });

  it('this run already stored it (a resumed run): ok, registered, nothing produced', async () => {
    const storage = storageHost(newest(SUM).replaceAll('20261119-020000-bbbb', 'r1'), []);
    const host = dataHost(storage.connection);
    expect(await catalogModule.check(host.ctx, args)).toMatchObject({ status: 'ok', facts: { backup: { id: 'r1' } } });
    expect(host.commands).toEqual([]);
  });

  it('a produce that fails fails the step, and its folder is removed all the same', async () => {
    const storage = storageHost('', []);
    const host = fakeHost([{ command: HERE.made }, { command: HERE.produce, exitCode: 2 }, { command: HERE.cleanup }]);
    const ctx = { ...host.ctx, connectionTo: async () => storage.connection };
    expect(await catalogModule.apply(ctx, args, {})).toMatchObject({ ok: false, message: 'produce failed on h1: exit 2: failed' });
    expect(host.commands).toEqual([HERE.made, HERE.produce, HERE.cleanup]);
  });
});
