import { describe, expect, it } from 'vitest';
import { parseCatalog, refusedBackup } from '../../../src/catalog/read.js';

const ROOT = '/var/backups/openstack';
const OLD = '20261119-020000-aaaa';
const NEW = '20261120-020000-bbbb';

const manifest = (id: string, name = 'nova.sql.gz', kind = 'db') =>
  JSON.stringify({
    format: 'runbook-backup/1', id, kind, host: 'ctl1', created: '2026-11-20T02:00:00.000Z', run: { id, runbook: 'backup-db', version: '1.0.0' },
    source_digest: '', contents: {}, depends_on: null, files: [{ name, size: 1, sha256: 'a'.repeat(64) }], verified: true, verified_at: null,
  });

/** What listManifestsCommand prints: per folder a record separator, the folder and its manifest. */
const listing = (records: Array<[folder: string, text: string]>) => records.map(([folder, text]) => `\u001e${folder}\n${text}`).join('');

describe('parseCatalog: a folder whose manifest does not pass is a problem, never an entry', () => {
  it('lists a traversal name as a problem of its folder, naming the field', () => {
    const catalog = parseCatalog(ROOT, listing([[`db/ctl1/${OLD}`, manifest(OLD)], [`db/ctl1/${NEW}`, manifest(NEW, '../../../var/tmp/x')]]));
    expect(catalog.entries.map((e) => [e.id, e.dir])).toEqual([[OLD, `${ROOT}/db/ctl1/${OLD}`]]);
    expect(catalog.problems).toEqual([{
      dir: `${ROOT}/db/ctl1/${NEW}`,
      folder: { kind: 'db', host: 'ctl1', id: NEW },
      problem: expect.stringMatching(/^manifest\.json:1:\d+: 'files\[0\]\.name' is "\.\.\/\.\.\/\.\.\/var\/tmp\/x": not a plain file name/),
    }]);
  });

  it('refuses a manifest that names another folder than its own', () => {
    const catalog = parseCatalog(ROOT, listing([[`files/ctl1/${NEW}`, manifest(NEW)]]));
    expect(catalog.problems).toEqual([{ dir: `${ROOT}/files/ctl1/${NEW}`, folder: { kind: 'files', host: 'ctl1', id: NEW }, problem: `manifest says db/ctl1/${NEW}, folder says files/ctl1/${NEW}` }]);
  });

  it('refuses a folder whose name holds a control character, and shows the name escaped', () => {
    const catalog = parseCatalog(ROOT, listing([[`db/ctl1/x\u001b[2J`, manifest(NEW)]]));
    expect(catalog.entries).toEqual([]);
    expect(catalog.problems).toEqual([{ dir: `${ROOT}/db/ctl1/x\\u001b[2J`, problem: expect.stringContaining('holds a control character') }]);
  });
});

describe("refusedBackup: what a query would have used, had its manifest passed", () => {
  const catalog = parseCatalog(ROOT, listing([[`db/ctl1/${OLD}`, manifest(OLD)], [`db/ctl1/${NEW}`, manifest(NEW, '/var/tmp/x')]]));

  it("'latest' does not fall back past a refused newer backup to an older one", () => {
    expect(refusedBackup(catalog, { kind: 'db', host: 'ctl1', id: 'latest' })?.dir).toBe(`${ROOT}/db/ctl1/${NEW}`);
    expect(refusedBackup(catalog, { kind: 'db', host: 'ctl1', id: NEW })?.dir).toBe(`${ROOT}/db/ctl1/${NEW}`);
  });

  it('an older backup asked for by id, and other kinds and hosts, are not refused', () => {
    expect(refusedBackup(catalog, { kind: 'db', host: 'ctl1', id: OLD })).toBeUndefined();
    expect(refusedBackup(catalog, { kind: 'files', host: 'ctl1', id: 'latest' })).toBeUndefined();
    expect(refusedBackup(catalog, { kind: 'db', host: 'cmp1', id: 'latest' })).toBeUndefined();
  });

  it('a refused backup older than the newest good one does not stop latest', () => {
    const older = parseCatalog(ROOT, listing([[`db/ctl1/${OLD}`, manifest(OLD, '..')], [`db/ctl1/${NEW}`, manifest(NEW)]]));
    expect(refusedBackup(older, { kind: 'db', host: 'ctl1', id: 'latest' })).toBeUndefined();
  });
});
