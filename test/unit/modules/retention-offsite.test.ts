import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { retentionModuleWith, type RetentionArgs } from '../../../src/modules/retention.js';
import { fakeHost } from './fake-host.js';

// retention on the off-site copy, pyinfra style: Swift's listing in (read through the step's
// host), the scripts and their stdin out. Each copy has its own policy: the storage node's
// catalog is not read here at all. Against the lab's real Swift: test/integration/offsite.test.ts.
const NOW = new Date('2026-11-20T12:00:00Z');
const module = retentionModuleWith(() => NOW);
const KEY = 'the-swift-key';
const OFFSITE = { auth_url: 'http://site2:8080/auth/v1.0', user: 'runbook:backup', key: KEY, container: 'c' };
const manifest = (id: string, created: string) =>
  JSON.stringify({
    format: 'runbook-backup/1', id, kind: 'db', host: 'h1', created, run: { id, runbook: 'backup-db', version: '1.0.0' },
    source_digest: '', contents: {}, depends_on: null, files: [{ name: 'nova.sql.gz', size: 3, sha256: 'a'.repeat(64) }], verified: true, verified_at: created,
  });
const OLD = '20261118-020000-aaaa';
const NEW = '20261119-020000-bbbb';
const OLD_MANIFEST = manifest(OLD, '2026-11-18T02:00:00.000Z');
const LISTING = `\u001edb/h1/${OLD}\n${OLD_MANIFEST}\u001edb/h1/${NEW}\n${manifest(NEW, '2026-11-19T02:00:00.000Z')}`;
const SWIFT_LIST = /read -r key[\s\S]*--data-urlencode "marker=\$marker"/;
const HIDE = /read -r key[\s\S]*printf '%s' '\u001e'; curl/;
const PUT_BACK = /read -r key[\s\S]* -T - -H /;
const DELETE = /read -r key[\s\S]* -X DELETE -o \/dev\/null -w '%\{http_code\}' "\$base"\/db\/h1\/20261118-020000-aaaa\/nova\.sql\.gz/;
const args: RetentionArgs = { root: '/var/backups/openstack', keep_last: 1, offsite: OFFSITE };

describe('retention of the off-site copy', () => {
  it('its own catalog and policy: the plan names swift:<container>; apply removes the manifest only, keeping its text; rollback puts it back byte for byte; commit deletes the files', async () => {
    const host = fakeHost([{ command: SWIFT_LIST, stdout: LISTING }, { command: HIDE, stdout: `\u001e${OLD_MANIFEST}` }, { command: PUT_BACK }, { command: DELETE }]);
    const check = await module.check(host.ctx, args);
    expect(check).toMatchObject({ status: 'change', prior: { root: '/c', deletions: [{ dir: `/c/db/h1/${OLD}` }] } });
    if (check.status !== 'change') return;
    expect(check.summary).toContain('would delete 1 of 2 backups in swift:c:');
    expect(host.commands.every((c) => !c.includes(KEY))).toBe(true);

    const applied = await module.apply(host.ctx, args, check.prior);
    expect(applied).toMatchObject({ ok: true, facts: { deleted: [{ dir: `/c/db/h1/${OLD}` }] } });
    const hide = host.commands.find((c) => HIDE.test(c))!;
    expect(hide).toContain(`"$base"/db/h1/${OLD}/manifest.json`);
    expect(hide).not.toContain('nova.sql.gz');
    expect(check.prior.offsite?.hidden).toEqual([{ manifest: `db/h1/${OLD}/manifest.json`, text: OLD_MANIFEST }]);

    expect(await module.rollback!(host.ctx, args, check.prior)).toMatchObject({ ok: true });
    const put = host.commands.findIndex((c) => PUT_BACK.test(c));
    expect(host.commands[put]).toContain(`-H 'ETag: ${createHash('md5').update(OLD_MANIFEST).digest('hex')}'`);
    expect(host.stdins[put]).toBe(`${KEY}\n${OLD_MANIFEST}`);

    expect(await module.commit!(host.ctx, args, check.prior)).toMatchObject({ ok: true });
    const purge = host.commands.find((c) => DELETE.test(c))!;
    for (const name of ['nova.sql.gz', 'restore-test.json', 'manifest.json']) expect(purge).toContain(`"$base"/db/h1/${OLD}/${name}`);
    expect(purge).not.toContain(NEW);
  });

  it('the newest verified copy stays whatever the numbers say', async () => {
    const host = fakeHost([{ command: SWIFT_LIST, stdout: LISTING }]);
    expect(await module.check(host.ctx, { ...args, keep_last: 0, max_age: '1s' })).toMatchObject({ status: 'change', prior: { deletions: [{ dir: `/c/db/h1/${OLD}` }] } });
  });

  it('an off-site copy without an auth_url, or with a container that is not a plain name, fails before anything runs', async () => {
    const host = fakeHost([]);
    expect(await module.check(host.ctx, { ...args, offsite: { ...OFFSITE, auth_url: '' } })).toMatchObject({ status: 'failed', message: expect.stringContaining('declares no offsite_swift') });
    expect(await module.check(host.ctx, { ...args, offsite: { ...OFFSITE, container: 'a/../b' } })).toMatchObject({ status: 'failed', message: expect.stringContaining("offsite container 'a/../b'") });
    expect(host.commands).toEqual([]);
  });
});
