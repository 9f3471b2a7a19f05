import { describe, expect, it } from 'vitest';
import { listManifestsCommand } from '../../../src/catalog/read.js';
import { retentionModuleWith, type RetentionArgs } from '../../../src/modules/retention.js';
import { fakeHost, succeeding } from './fake-host.js';

// retention, pyinfra style: the catalog's listing in, the commands out. `now` is fixed; the
// lab proves the moves on real folders (test/integration/modules/retention.test.ts).
const ROOT = '/var/backups/openstack';
const NOW = new Date('2026-11-20T12:00:00Z');
const module = retentionModuleWith(() => NOW);
const LIST = listManifestsCommand(ROOT).text;
const TRASH = `${ROOT}/.trash/r1`;

const manifest = (id: string, created: string) =>
  JSON.stringify({
    format: 'runbook-backup/1', id, kind: 'db', host: 'h1', created, run: { id, runbook: 'backup-db', version: '1.0.0' },
    source_digest: '', contents: {}, depends_on: null, files: [{ name: 'nova.sql.gz', size: 3, sha256: 'a'.repeat(64) }], verified: true, verified_at: created,
  });
const OLD = '20261118-020000-aaaa';
const NEW = '20261119-020000-bbbb';
const LISTING = `\u001edb/h1/${OLD}\n${manifest(OLD, '2026-11-18T02:00:00.000Z')}\u001edb/h1/${NEW}\n${manifest(NEW, '2026-11-19T02:00:00.000Z')}`;
const MOVE = `mkdir -p -- ${TRASH}/db/h1 && mv -T -- ${ROOT}/db/h1/${OLD} ${TRASH}/db/h1/${OLD}`;
const args: RetentionArgs = { root: ROOT, keep_last: 1 };

describe('retention', () => {
  it('a catalog the policy keeps whole: ok, one read', async () => {
    const host = fakeHost([{ command: LIST, stdout: LISTING }]);
    expect(await module.check(host.ctx, { root: ROOT, keep_last: 2 })).toMatchObject({ status: 'ok', facts: { deleted: [] } });
    expect(host.commands).toEqual([LIST]);
  });

  it('deletes by moving into the run trash; rollback moves back; commit purges', async () => {
    const host = fakeHost([{ command: LIST, stdout: LISTING }, ...succeeding([MOVE, /^rc=0; /, `rm -rf -- ${TRASH}/db/h1/${OLD} && `])]);
    const check = await module.check(host.ctx, args);
    expect(check).toMatchObject({ status: 'change', prior: { trash: TRASH, deletions: [{ dir: `${ROOT}/db/h1/${OLD}`, trashed: `${TRASH}/db/h1/${OLD}` }] } });
    expect(check.status === 'change' && check.summary).toContain(OLD);
    if (check.status !== 'change') return;
    const applied = await module.apply(host.ctx, args, check.prior);
    expect(applied).toMatchObject({ ok: true, facts: { deleted: [{ dir: `${ROOT}/db/h1/${OLD}` }] } });
    await module.rollback!(host.ctx, args, check.prior);
    await module.commit!(host.ctx, args, check.prior);
    expect(host.commands.slice(0, 3)).toEqual([LIST, LIST, MOVE]);
    expect(host.commands[3]).toMatch(new RegExp(`^rc=0; if \\[ -e ${TRASH}/db/h1/${OLD} \\]; then .*mv -T -- ${TRASH}/db/h1/${OLD} ${ROOT}/db/h1/${OLD} \\|\\| rc=1; fi; fi; .*exit \\$rc$`));
    expect(host.commands[4]).toMatch(new RegExp(`^rm -rf -- ${TRASH}/db/h1/${OLD} && \\{ \\[ ! -d ${TRASH} \\] \\|\\| find ${TRASH} -depth -type d -empty -delete;`));
  });

  it('a catalog that changed since the check deletes nothing', async () => {
    const host = fakeHost([{ command: LIST, stdout: LISTING }]);
    const check = await module.check(host.ctx, args);
    if (check.status !== 'change') throw new Error(check.status);
    // By the apply, the newer backup is gone: the old one is the newest now, and keep_last 1 keeps it.
    const onlyOld = `\u001edb/h1/${OLD}\n${manifest(OLD, '2026-11-18T02:00:00.000Z')}`;
    const again = fakeHost([{ command: LIST, stdout: onlyOld }]);
    const applied = await module.apply(again.ctx, args, check.prior);
    expect(applied).toMatchObject({ ok: false, message: expect.stringMatching(/^the catalog changed since the check; nothing was deleted: /) });
    expect(again.commands).toEqual([LIST]);
  });

  it.each<[RetentionArgs, string]>([
    [{ root: ROOT }, 'retention needs at least one of keep_last, daily, weekly, monthly, max_age'],
    [{ root: ROOT, keep_last: 'seven' }, "retention keep_last 'seven' is not a whole number"],
    [{ root: ROOT, max_age: 'soon' }, "retention max_age 'soon' is not a duration (90d, 12h, 30m)"],
  ])('a policy that cannot be applied fails the check before reading anything: %j', async (bad, message) => {
    const host = fakeHost();
    expect(await module.check(host.ctx, bad)).toEqual({ status: 'failed', message, commands: [] });
    expect(host.commands).toEqual([]);
  });

  it('a catalog that cannot be read fails the check with words', async () => {
    const host = fakeHost([{ command: LIST, exitCode: 2 }]);
    expect(await module.check(host.ctx, args)).toMatchObject({ status: 'failed', message: `cannot read the catalog ${ROOT} on h1: failed` });
  });

  it('loads a literal max_age as milliseconds and keeps a template for the module', () => {
    const load = (value: object) => module.load({ value, step: {}, runbookDir: '/rb' });
    expect(load({ root: ROOT, max_age: '90d' })).toEqual({ root: ROOT, maxAgeMs: 90 * 86_400_000 });
    expect(load({ root: ROOT, max_age: '{{params.max_age}}' })).toEqual({ root: ROOT, max_age: '{{params.max_age}}' });
  });
});
