import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BackupManifest } from '../../../../src/catalog/manifest.js';
import { listManifestsCommand } from '../../../../src/catalog/read.js';
import { catalogModule, type CatalogArgs } from '../../../../src/modules/catalog.js';
import type { CatalogPrior } from '../../../../src/modules/catalog/args.js';
import { fakeHost } from '../fake-host.js';

// catalog copied, and found/fetched falling back to the off-site copy, pyinfra style: the
// catalogs in (the storage node's listing, Swift's answers), the commands and their stdin out.
// The Swift scripts themselves are test/unit/offsite/swift.test.ts; against a real Swift,
// test/integration/offsite.test.ts.
const ROOT = '/var/backups/openstack';
const ID = '20261119-020000-bbbb';
const DIR = `${ROOT}/db/h1/${ID}`;
const KEY = 'the-swift-key';
const OFFSITE = { auth_url: 'http://site2:8080/auth/v1.0', user: 'runbook:backup', key: KEY, container: 'c' };
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const FILE = { name: 'nova.sql.gz', size: 3, sha256: sha('abc') };
const MANIFEST = JSON.stringify({
  format: 'runbook-backup/1', id: ID, kind: 'db', host: 'h1', created: '2026-11-19T02:00:00.000Z', run: { id: 'x', runbook: 'backup-db', version: '1.0.0' },
  source_digest: '', contents: {}, depends_on: null, files: [FILE], verified: true, verified_at: '2026-11-19T02:00:00.000Z',
});
const LISTING = `\u001edb/h1/${ID}\n${MANIFEST}`;
const LIST = listManifestsCommand(ROOT).text;
// Every Swift script starts by reading the key from stdin; what follows tells them apart.
const SWIFT_HEAD = /read -r key[\s\S]* -I -o \/dev\/null/;
const SWIFT_PUT = /read -r key[\s\S]* -T /;
const SWIFT_DELETE = /read -r key[\s\S]* -X DELETE/;
const SWIFT_LIST = /read -r key[\s\S]*--data-urlencode "marker=\$marker"/;
const SWIFT_GET = /read -r key[\s\S]*curl -sS -f --max-time 3600 -K "\$cfg" -o /;
const CHECK_FILES = /^while IFS= read -r f; do if/;
const MD5S = /^while IFS= read -r f; do m=\$\(md5sum/;
const SUMS = /^f=\S*manifest\.json'?; s=\$\(stat/;

function hosts(storageAnswers: Parameters<typeof fakeHost>[0], hostAnswers: Parameters<typeof fakeHost>[0] = []) {
  const storage = fakeHost(storageAnswers);
  const host = fakeHost(hostAnswers);
  return { host, storage, ctx: { ...host.ctx, connectionTo: async () => ({ ...storage.ctx.connection, host: 'stor1' }) } };
}

const copied = (more: Partial<CatalogArgs> = {}): CatalogArgs => ({ state: 'copied', storage: 'stor1', root: ROOT, kind: 'db', offsite: OFFSITE, ...more });

describe('catalog copied', () => {
  it('nothing in Swift yet: a change; apply verifies the files on the storage node, uploads them, checks them there, then the manifest last', async () => {
    const { ctx, storage, host } = hosts([
      { command: LIST, stdout: LISTING },
      { command: SWIFT_HEAD, stdout: '404 - - -\n' },
      { command: CHECK_FILES, stdout: `3 ${FILE.sha256}\n` },
      { command: SUMS, stdout: `${MANIFEST.length} ${sha(MANIFEST)} ${md5(MANIFEST)}\n` },
      { command: SWIFT_PUT, stdout: '' },
    ]);
    const check = await catalogModule.check(ctx, copied());
    expect(check).toMatchObject({ status: 'change', summary: `copies backup ${ID} to swift:c: nova.sql.gz is not in swift:c (HTTP 404)` });
    if (check.status !== 'change') return;
    // apply: Swift answers the HEAD after the upload as it should.
    storage.commands.length = 0;
    storage.stdins.length = 0;
    const heads = [`200 3 ${md5('abc')} ${FILE.sha256}\n`];
    const apply = fakeHost([{ command: CHECK_FILES, stdout: `3 ${FILE.sha256}\n` }, { command: SUMS, stdout: `${MANIFEST.length} ${sha(MANIFEST)} ${md5(MANIFEST)}\n` }, { command: SWIFT_PUT }, { command: SWIFT_HEAD, stdout: heads[0] }]);
    const prior: CatalogPrior = check.prior;
    const applied = await catalogModule.apply({ ...ctx, connectionTo: async () => ({ ...apply.ctx.connection, host: 'stor1' }) }, copied(), prior);
    expect(applied).toMatchObject({ ok: true, facts: { copied: true, location: 'swift:c', backup: { id: ID } } });
    const uploads = apply.commands.filter((c) => SWIFT_PUT.test(c));
    expect(uploads).toHaveLength(2);
    expect(uploads[0]).toContain(`-T ${DIR}/nova.sql.gz`);
    expect(uploads[0]).not.toContain('manifest.json');
    expect(uploads[1]).toContain(`-T ${DIR}/manifest.json`);
    expect(apply.commands.findIndex((c) => SWIFT_HEAD.test(c))).toBeLessThan(apply.commands.lastIndexOf(uploads[1]!));
    expect(prior.uploaded).toEqual([`db/h1/${ID}/nova.sql.gz`, `db/h1/${ID}/manifest.json`]);
    // The key only ever on stdin, first line.
    for (const [i, c] of apply.commands.entries()) {
      expect(c).not.toContain(KEY);
      if (/read -r key/.test(c)) expect(apply.stdins[i]).toBe(`${KEY}\n`);
    }
    expect(host.commands).toEqual([]);
  });

  it('rollback deletes what it uploaded, the manifest first, so a half copy is never listed', async () => {
    const storage = fakeHost([{ command: SWIFT_DELETE }]);
    const ctx = { ...fakeHost().ctx, connectionTo: async () => ({ ...storage.ctx.connection, host: 'stor1' }) };
    const undone = await catalogModule.rollback!(ctx, copied(), { uploaded: [`db/h1/${ID}/nova.sql.gz`, `db/h1/${ID}/manifest.json`] });
    expect(undone.ok).toBe(true);
    const command = storage.commands[0]!;
    expect(command.indexOf(`db/h1/${ID}/manifest.json`)).toBeLessThan(command.indexOf(`db/h1/${ID}/nova.sql.gz`));
  });

  it('a complete copy (sizes, sha256s, each ETag the md5 of the storage node\'s file, the same manifest) is ok: nothing to do', async () => {
    const { ctx } = hosts([
      { command: LIST, stdout: LISTING },
      { command: SWIFT_HEAD, stdout: `200 3 ${md5('abc')} ${FILE.sha256}\n200 ${MANIFEST.length} ${md5(MANIFEST)} ${sha(MANIFEST)}\n` },
      { command: SUMS, stdout: `${MANIFEST.length} ${sha(MANIFEST)} ${md5(MANIFEST)}\n` },
      { command: MD5S, stdout: `${md5('abc')}\n` },
    ]);
    expect(await catalogModule.check(ctx, copied())).toMatchObject({ status: 'ok', summary: `backup ${ID} is in swift:c` });
  });

  it('an object replaced in Swift (its md5 is not the storage node\'s) is copied again', async () => {
    const { ctx } = hosts([
      { command: LIST, stdout: LISTING },
      { command: SWIFT_HEAD, stdout: `200 3 ${md5('xyz')} ${FILE.sha256}\n200 ${MANIFEST.length} ${md5(MANIFEST)} ${sha(MANIFEST)}\n` },
      { command: SUMS, stdout: `${MANIFEST.length} ${sha(MANIFEST)} ${md5(MANIFEST)}\n` },
      { command: MD5S, stdout: `${md5('abc')}\n` },
    ]);
    expect(await catalogModule.check(ctx, copied())).toMatchObject({ status: 'change', summary: expect.stringContaining('nova.sql.gz in swift:c is not the storage node\'s') });
  });

  it('without the key, or without an offsite_swift_auth_url, it fails before anything runs', async () => {
    const { ctx, storage } = hosts([]);
    expect(await catalogModule.check(ctx, copied({ offsite: { ...OFFSITE, key: '' } }))).toMatchObject({ status: 'failed', message: 'offsite key is empty (the runbook reads it from RUNBOOK_SWIFT_KEY)' });
    expect(await catalogModule.check(ctx, copied({ offsite: { ...OFFSITE, auth_url: '' } }))).toMatchObject({ status: 'failed', message: expect.stringContaining('declares no offsite_swift') });
    expect(storage.commands).toEqual([]);
  });
});

describe('found and fetched fall back to the off-site copy when the storage node has none', () => {
  const fetched: CatalogArgs = { state: 'fetched', storage: 'stor1', root: ROOT, kind: 'db', dest: '/var/tmp/w', offsite: OFFSITE };

  it('the storage node\'s catalog is empty: the off-site catalog is read from this host, and the step says which copy it took', async () => {
    const { ctx, host } = hosts([{ command: LIST, stdout: '' }], [
      { command: SWIFT_LIST, stdout: `\u001edb/h1/${ID}\n${MANIFEST}` },
      { command: SWIFT_HEAD, stdout: `200 3 ${md5('abc')} ${FILE.sha256}\n` },
      { command: CHECK_FILES, stdout: 'missing\n' },
    ]);
    const check = await catalogModule.check(ctx, fetched);
    expect(check).toMatchObject({ status: 'change', summary: `backup ${ID} from the off-site copy swift:c (not in stor1:${ROOT})`, prior: { copy: 'offsite' } });
    expect(host.stdins[0]).toBe(`${KEY}\n`);
  });

  it('fetching from Swift: what arrived is checked against the manifest (size and sha256)', async () => {
    const { ctx } = hosts([], [
      { command: /^if \[ -d/, stdout: 'existed\n' },
      { command: /^if \[ -e/, stdout: '' },
      { command: SWIFT_GET, stdout: `3 ${sha('xyz')}\n` },
    ]);
    const entry = JSON.parse(MANIFEST) as BackupManifest;
    const prior: CatalogPrior = { entry: { ...entry, dir: `/c/db/h1/${ID}`, restore_test: null }, copy: 'offsite' };
    const applied = await catalogModule.apply(ctx, fetched, prior);
    expect(applied).toMatchObject({ ok: false, message: `nova.sql.gz arrived with sha256 ${sha('xyz')}, the manifest says ${FILE.sha256}` });
  });

  it('the storage node has the backup: Swift is not asked', async () => {
    const { ctx, host } = hosts([{ command: LIST, stdout: LISTING }, { command: CHECK_FILES, stdout: `3 ${FILE.sha256}\n` }], [{ command: CHECK_FILES, stdout: 'missing\n' }]);
    expect(await catalogModule.check(ctx, fetched)).toMatchObject({ status: 'change', summary: `backup ${ID} from the storage node's copy stor1:${ROOT}`, prior: { copy: 'storage' } });
    expect(host.commands.some((c) => /read -r key/.test(c))).toBe(false);
  });

  it('from: storage never falls back; a manifest in Swift that names another backup is refused', async () => {
    const none = hosts([{ command: LIST, stdout: '' }]);
    expect(await catalogModule.check(none.ctx, { ...fetched, from: 'storage' })).toMatchObject({ status: 'failed', message: `no verified db backup of h1 in ${ROOT} on stor1` });
    const hostile = hosts([{ command: LIST, stdout: '' }], [{ command: SWIFT_LIST, stdout: `\u001edb/h1/${ID}\n${MANIFEST.replace('"host":"h1"', '"host":"h2"')}` }]);
    expect(await catalogModule.check(hostile.ctx, { ...fetched, id: ID })).toMatchObject({ status: 'failed', message: expect.stringContaining(`in /c/db/h1/${ID} on swift:c is refused, nothing was read from it: manifest says db/h2/${ID}`) });
  });

  it('found: nothing in either copy names both places', async () => {
    const { ctx } = hosts([{ command: LIST, stdout: '' }], [{ command: SWIFT_LIST, stdout: '' }]);
    expect(await catalogModule.check(ctx, { state: 'found', storage: 'stor1', root: ROOT, kind: 'db', offsite: OFFSITE })).toMatchObject({
      status: 'failed', message: `no verified db backup of h1 in ${ROOT} on stor1, nor in swift:c`,
    });
  });
});
