import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { listManifestsCommand } from '../../../../src/catalog/read.js';
import { catalogModule, type CatalogArgs } from '../../../../src/modules/catalog.js';
import { type Answer, fakeHost } from '../fake-host.js';

// catalog with state: found, pyinfra style: the catalog and what produce writes in, the
// commands out. It is read-only: every outcome is ok or failed, never a change.
const ROOT = '/var/backups/openstack';
const ID = '20261119-020000-bbbb';
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const LISTING = `\u001edb/h1/${ID}\n${JSON.stringify({
  format: 'runbook-backup/1', id: ID, kind: 'db', host: 'h1', created: '2026-11-19T02:00:00.000Z', run: { id: 'x', runbook: 'backup-db', version: '1.0.0' },
  source_digest: '', contents: {}, depends_on: null, files: [{ name: 'nova.sql.gz', size: 3, sha256: sha('abc') }], verified: true, verified_at: '2026-11-19T02:00:00.000Z',
})}`;
const OUT = '/var/tmp/runbook-r1-step-h1';
const args = (more: Partial<CatalogArgs> = {}): CatalogArgs => ({ state: 'found', storage: 'stor1', root: ROOT, kind: 'db', ...more });

function hosts(listing: string, answers: Answer[] = []) {
  const storage = fakeHost([{ command: listManifestsCommand(ROOT).text, stdout: listing }]);
  const host = fakeHost(answers);
  return { host, storage, ctx: { ...host.ctx, connectionTo: async () => ({ ...storage.ctx.connection, host: 'stor1' }) } };
}

/** The step's host, where produce writes `nova.sql.gz` with this content. */
const producing = (content: string): Answer[] => [
  { command: `rm -rf -- ${OUT} && mkdir -m 700 -- ${OUT}` },
  { command: `OUT=${OUT}; export OUT; exec bash` },
  { command: `cd ${OUT} && for f in *;`, stdout: `${content.length} ${sha(content)}  nova.sql.gz\n` },
  { command: `rm -rf -- ${OUT}` },
];

describe('catalog found', () => {
  it('registers the newest verified backup, reading nothing but the catalog', async () => {
    const { ctx, storage, host } = hosts(LISTING);
    expect(await catalogModule.check(ctx, args())).toMatchObject({ status: 'ok', facts: { found: true, matches: false, stdout: ID, backup: { id: ID } } });
    expect(storage.commands).toEqual([listManifestsCommand(ROOT).text]);
    expect(host.commands).toEqual([]);
  });

  it('none there fails, unless required: false registers found: false', async () => {
    expect(await catalogModule.check(hosts('').ctx, args())).toMatchObject({ status: 'failed', message: `no verified db backup of h1 in ${ROOT} on stor1` });
    expect(await catalogModule.check(hosts('').ctx, args({ required: false }))).toMatchObject({ status: 'ok', facts: { found: false, backup: { id: '' } } });
  });

  it('with produce: matches says whether this host still holds the backup', async () => {
    const same = hosts(LISTING, producing('abc'));
    expect(await catalogModule.check(same.ctx, args({ produce: 'true' }))).toMatchObject({ status: 'ok', facts: { matches: true } });
    const changed = hosts(LISTING, producing('abd'));
    expect(await catalogModule.check(changed.ctx, args({ produce: 'true' }))).toMatchObject({ status: 'ok', facts: { matches: false } });
    expect(changed.host.commands.at(-1)).toBe(`rm -rf -- ${OUT}`);
  });

  it('must_match fails the step when it does not, naming the file', async () => {
    const { ctx } = hosts(LISTING, producing('abd'));
    expect(await catalogModule.check(ctx, args({ produce: 'true', must_match: true }))).toMatchObject({
      status: 'failed',
      message: `the data on h1 does not equal db backup ${ID}: nova.sql.gz differs`,
    });
  });

  it('has nothing to apply', async () => {
    expect(await catalogModule.apply(hosts('').ctx, args(), {})).toMatchObject({ ok: false, message: 'catalog state found has nothing to apply' });
  });
});
