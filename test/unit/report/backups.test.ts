import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../src/catalog/read.js';
import { backupsJson, backupsTable, filterCatalog, formatSize, shortTime } from '../../../src/report/backups.js';

const manifest = (kind: string, host: string, id: string, verified: boolean, sizes: number[]) =>
  JSON.stringify({
    format: 'runbook-backup/1', id, kind, host, created: `${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)}T${id.slice(9, 11)}:${id.slice(11, 13)}:${id.slice(13, 15)}.000Z`,
    run: { id, runbook: `backup-${kind}`, version: '1.2.0' }, source_digest: 'x', contents: {}, depends_on: null,
    files: sizes.map((size, i) => ({ name: `f${i}`, size, sha256: 'a'.repeat(64) })), verified, verified_at: null,
  });

const restoreTest = (backup: string, testedAt: string) =>
  JSON.stringify({ format: 'runbook-restore-test/1', backup, tested_at: testedAt, on: 'ctl1', run: { id: 'r', runbook: 'verify-backup', version: '1.0.0' } });

// The listing command's output: a record separator and the folder before each manifest, a unit
// separator and the restore-test record after it when the backup has one.
const LISTING = [
  ['db/ctl1/20261120-020000-ab12', `${manifest('db', 'ctl1', '20261120-020000-ab12', true, [1536, 512])}\u001f${restoreTest('20261120-020000-ab12', '2026-11-20T05:00:00.000Z')}`],
  ['files/cmp1/20261119-020000-cd34', manifest('files', 'cmp1', '20261119-020000-cd34', false, [3 * 1024 * 1024])],
  ['db/ctl1/20261118-020000-ef56', '{ truncated'],
].map(([dir, text]) => `\u001e${dir}\n${text}`).join('');

const catalog = parseCatalog('/var/backups/openstack', LISTING);

describe('runbook backups output', () => {
  it('a table per storage host, oldest first, then the unreadable manifests with their folder', () => {
    expect(backupsTable([{ storage: 'stor1', root: '/var/backups/openstack', catalog }])).toEqual([
      'stor1:/var/backups/openstack',
      'ID                    KIND   HOST  CREATED               SIZE     FILES  VERIFIED  ENCRYPTED  RESTORE TESTED        RUNBOOK',
      '20261119-020000-cd34  files  cmp1  2026-11-19 02:00:00Z  3.0 MiB  1      no        no         never                 backup-files@1.2.0',
      '20261120-020000-ab12  db     ctl1  2026-11-20 02:00:00Z  2.0 KiB  2      yes       no         2026-11-20 05:00:00Z  backup-db@1.2.0',
      "problems (1): these folders' manifests cannot be read, so they are neither listed nor restored",
      expect.stringMatching(/^ {2}\/var\/backups\/openstack\/db\/ctl1\/20261118-020000-ef56: not JSON: /),
    ]);
  });

  it('--kind and --host select backups and problems alike', () => {
    expect(filterCatalog(catalog, '/var/backups/openstack/', { kind: 'files' })).toEqual({ entries: [catalog.entries[0]], problems: [] });
    expect(filterCatalog(catalog, '/var/backups/openstack', { host: 'ctl1' }).problems).toHaveLength(1);
  });

  it('says when a host has no backups, or why its catalog could not be read', () => {
    expect(backupsTable([{ storage: 'stor1', root: '/b', catalog: { entries: [], problems: [] } }, { storage: 'stor2', root: '/b', error: 'cannot read the catalog /b on stor2: Permission denied' }])).toEqual([
      'stor1:/b: no backups', '', 'stor2:/b: cannot read the catalog /b on stor2: Permission denied',
    ]);
  });

  it('--json carries every manifest field, the total size and the unreachable hosts', () => {
    const json = backupsJson([{ storage: 'stor1', root: '/r', catalog }], [{ host: 'stor2', stage: 'connect', message: 'refused' }]) as { storage: Array<{ backups: Array<{ id: string; size: number; verified: boolean }> }>; unreachable: unknown[] };
    expect(json.storage[0]?.backups.map((b) => [b.id, b.size, b.verified])).toEqual([['20261119-020000-cd34', 3 * 1024 * 1024, false], ['20261120-020000-ab12', 2048, true]]);
    expect(json.unreachable).toEqual([{ host: 'stor2', stage: 'connect', message: 'refused' }]);
  });

  it('a restore-test record counts only when it names its backup and can be read', () => {
    const listing = (record: string) => `\u001edb/ctl1/20261120-020000-ab12\n${manifest('db', 'ctl1', '20261120-020000-ab12', true, [1])}\u001f${record}`;
    const tested = (record: string) => parseCatalog('/r', listing(record)).entries[0]?.restore_test ?? null;
    expect(tested(restoreTest('20261120-020000-ab12', '2026-11-20T05:00:00.000Z'))?.tested_at).toBe('2026-11-20T05:00:00.000Z');
    expect(tested(restoreTest('20261101-020000-0000', '2026-11-20T05:00:00.000Z'))).toBeNull();
    expect(tested('{ truncated')).toBeNull();
    expect(catalog.entries.find((e) => e.host === 'cmp1')?.restore_test).toBeNull();
  });

  it('sizes and times read the way ls -h and the run ids do', () => {
    expect([formatSize(0), formatSize(1023), formatSize(1536), formatSize(5 * 1024 ** 3)]).toEqual(['0 B', '1023 B', '1.5 KiB', '5.0 GiB']);
    expect(shortTime('2026-11-20T03:00:00+01:00')).toBe('2026-11-20 02:00:00Z');
    expect(shortTime('not a time')).toBe('not a time');
  });
});
