import { describe, expect, it } from 'vitest';
import { allUnder, backupDir, pathUnder, segmentProblem } from '../../../src/catalog/layout.js';
import { parseManifest } from '../../../src/catalog/manifest.js';

const accepted = (name: string): boolean => {
  const parsed = parseManifest(JSON.stringify({
    format: 'runbook-backup/1', id: 'i', kind: 'db', host: 'h', created: 'c', run: { id: 'r', runbook: '', version: '' }, source_digest: '', contents: {},
    depends_on: null, files: [{ name, size: 1, sha256: 'a'.repeat(64) }], verified: true, verified_at: null,
  }));
  return parsed.ok;
};

describe('pathUnder: every path the catalog builds stays under its root', () => {
  it('joins plain names under the root', () => {
    expect(pathUnder('/var/backups/openstack', 'db', 'ctl1', '20261120-020000-ab12')).toEqual({ ok: true, path: '/var/backups/openstack/db/ctl1/20261120-020000-ab12' });
    expect(pathUnder('/var/backups/openstack/', 'a..b')).toEqual({ ok: true, path: '/var/backups/openstack/a..b' });
    expect(pathUnder('/work/db', '.nova.sql.gz.runbook-r1-fetch')).toEqual({ ok: true, path: '/work/db/.nova.sql.gz.runbook-r1-fetch' });
    expect(pathUnder('/', 'x')).toEqual({ ok: true, path: '/x' });
    expect(pathUnder('/var/x/../backups')).toEqual({ ok: true, path: '/var/backups' });
  });

  it.each([
    ['../../../var/tmp/x', "holds a '/'"],
    ['/var/tmp/x', "holds a '/'"],
    ['..', 'is not a name'],
    ['.', 'is not a name'],
    ['', 'is not a name'],
    ['x\u0000y', 'holds a control character'],
    ['x\ny', 'holds a control character'],
  ])('refuses the name %j', (name, problem) => {
    expect(pathUnder('/var/backups/openstack', 'db', name)).toEqual({ ok: false, problem: `${JSON.stringify(name)} ${problem}, so it cannot name a path under /var/backups/openstack` });
  });

  it('refuses a root that is not an absolute path: a relative one depends on where a command runs', () => {
    expect(pathUnder('work/db', 'x')).toEqual({ ok: false, problem: '"work/db" is not an absolute path' });
    expect(pathUnder('', 'x')).toMatchObject({ ok: false });
  });

  it('backupDir is pathUnder for <kind>/<host>/<id>', () => {
    expect(backupDir('/b', 'db', '..', 'x')).toMatchObject({ ok: false, problem: expect.stringContaining('".." is not a name') });
  });

  it('allUnder: every path by its role, or the first refusal', () => {
    expect(allUnder({ a: pathUnder('/r', 'x'), b: pathUnder('/s', 'y') })).toEqual({ ok: true, paths: { a: '/r/x', b: '/s/y' } });
    expect(allUnder({ a: pathUnder('/r', 'x'), b: pathUnder('/s', '..') })).toMatchObject({ ok: false, problem: expect.stringContaining('".."') });
  });

  it('every file name the manifest schema accepts is one pathUnder accepts (the schema is the stricter wall)', () => {
    const names = ['nova.sql.gz', 'etc-nova.tar.gz', 'my dir.tar.gz', 'a..b', 'x', 'ü.gz', '..', '.', '.x', '-x', '/x', 'a/b', 'a\u0000', 'a\u007f'];
    for (const name of names) if (accepted(name)) expect(pathUnder('/r', name).ok, name).toBe(true);
    expect(names.filter(accepted)).toEqual(['nova.sql.gz', 'etc-nova.tar.gz', 'my dir.tar.gz', 'a..b', 'x', 'ü.gz']);
  });

  it('segmentProblem (kind, host and id of a catalog step) agrees with the schema on names', () => {
    for (const name of ['db', 'ctl1', '20261120-020000-ab12', 'a.b_c-d']) expect(segmentProblem('kind', name)).toBeUndefined();
    for (const name of ['..', '.x', '-x', 'a/b', '', 'a b']) expect(segmentProblem('kind', name)).toBe(`kind '${name}' must be letters, digits, '.', '_' or '-'`);
  });
});
