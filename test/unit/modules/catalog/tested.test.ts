import { describe, expect, it } from 'vitest';
import { listManifestsCommand } from '../../../../src/catalog/read.js';
import { catalogModule, type CatalogArgs } from '../../../../src/modules/catalog.js';
import { fakeHost } from '../fake-host.js';

// catalog with state: tested, pyinfra style: the catalog (and the backup's restore-test record)
// in, the commands on the storage host out. The step's own host runs nothing.
const ROOT = '/var/backups/openstack';
const ID = '20261119-020000-bbbb';
const DIR = `${ROOT}/db/h1/${ID}`;
const LIST = listManifestsCommand(ROOT).text;
const WRITE = `umask 077 && cat > ${DIR}/.restore-test.json.part && mv -f -- ${DIR}/.restore-test.json.part ${DIR}/restore-test.json`;
const RECORD = { format: 'runbook-restore-test/1', backup: ID, tested_at: '2026-11-19T03:00:00.000Z', on: 'h1', run: { id: 'x', runbook: 'verify-backup', version: '1.0.0' } };
const args = (more: Partial<CatalogArgs> = {}): CatalogArgs => ({ state: 'tested', storage: 'stor1', root: ROOT, kind: 'db', id: ID, ...more });

const listing = (record?: object) =>
  `\u001edb/h1/${ID}\n${JSON.stringify({
    format: 'runbook-backup/1', id: ID, kind: 'db', host: 'h1', created: '2026-11-19T02:00:00.000Z', run: { id: 'x', runbook: 'backup-db', version: '1.0.0' },
    source_digest: '', contents: {}, depends_on: null, files: [{ name: 'nova.sql.gz', size: 3, sha256: 'a'.repeat(64) }], verified: true, verified_at: '2026-11-19T02:00:00.000Z',
  })}${record ? `\u001f${JSON.stringify(record)}` : ''}`;

function hosts(record: object | undefined, answers: Parameters<typeof fakeHost>[0] = []) {
  const storage = fakeHost([{ command: LIST, stdout: listing(record) }, ...answers]);
  const host = fakeHost();
  return { host, storage, ctx: { ...host.ctx, connectionTo: async () => ({ ...storage.ctx.connection, host: 'stor1' }) } };
}

describe('catalog tested', () => {
  it('a backup with a record is done', async () => {
    const { ctx, storage, host } = hosts(RECORD);
    expect(await catalogModule.check(ctx, args())).toMatchObject({ status: 'ok', facts: { tested: true, backup: { id: ID } } });
    expect(storage.commands).toEqual([LIST]);
    expect(host.commands).toEqual([]);
  });

  it('without one: the record written whole through stdin; rollback removes it', async () => {
    const { ctx, storage } = hosts(undefined, [{ command: WRITE }, { command: `rm -f -- ${DIR}/restore-test.json` }]);
    const check = await catalogModule.check(ctx, args());
    expect(check.status).toBe('change');
    if (check.status !== 'change') return;
    expect(await catalogModule.apply(ctx, args(), check.prior)).toMatchObject({ ok: true, facts: { tested: true } });
    expect(JSON.parse(String(storage.stdins[1]))).toMatchObject({ format: 'runbook-restore-test/1', backup: ID, on: 'h1', run: { id: 'r1' } });
    await catalogModule.rollback!(ctx, args(), check.prior);
    expect(storage.commands).toEqual([LIST, WRITE, `rm -f -- ${DIR}/restore-test.json`]);
  });

  it.each([true, 'true'])('force %j writes a new record; rollback writes the previous one back', async (force) => {
    const { ctx, storage } = hosts(RECORD, [{ command: WRITE }]);
    const check = await catalogModule.check(ctx, args({ force }));
    expect(check.status).toBe('change');
    if (check.status !== 'change') return;
    await catalogModule.apply(ctx, args({ force }), check.prior);
    await catalogModule.rollback!(ctx, args({ force }), check.prior);
    expect(storage.commands).toEqual([LIST, WRITE, WRITE]);
    expect(JSON.parse(String(storage.stdins[2]))).toEqual(RECORD);
  });

  it('a backup that is not in the catalog fails the check', async () => {
    const { ctx } = hosts(undefined);
    expect(await catalogModule.check(ctx, args({ id: '20260101-000000-cccc' }))).toMatchObject({
      status: 'failed',
      message: `no verified db backup 20260101-000000-cccc of h1 in ${ROOT} on stor1`,
    });
  });
});
