import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../src/catalog/read.js';
import { backupMetrics, escapeLabel } from '../../../src/report/metrics.js';
import { ageText, checkStaleness } from '../../../src/report/staleness.js';

// Catalog fixtures in, text out, with a clock of our own: `now` is 2026-11-21 02:00:00Z.
const NOW = Date.parse('2026-11-21T02:00:00Z');
const HOUR = 3_600_000;

const manifest = (kind: string, host: string, id: string, verified: boolean, sizes: number[], created?: string) =>
  JSON.stringify({
    format: 'runbook-backup/1', id, kind, host, created: created ?? `${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)}T${id.slice(9, 11)}:${id.slice(11, 13)}:${id.slice(13, 15)}Z`,
    run: { id, runbook: `backup-${kind}`, version: '1.2.0' }, source_digest: 'x', contents: {}, depends_on: null,
    files: sizes.map((size, i) => ({ name: `f${i}`, size, sha256: 'a'.repeat(64) })), verified, verified_at: null,
  });
const tested = (backup: string, at: string) => `\u001f${JSON.stringify({ format: 'runbook-restore-test/1', backup, tested_at: at, on: 'ctl1', run: { id: 'r', runbook: 'verify-backup', version: '1.0.0' } })}`;
const listing = (folders: Array<[string, string]>) => folders.map(([dir, text]) => `\u001e${dir}\n${text}`).join('');

const ROOT = '/var/backups/openstack';
const catalog = parseCatalog(ROOT, listing([
  // db/ctl1: restore-tested on the 18th, newer verified ones since, the newest not verified yet.
  ['db/ctl1/20261118-010000-aaaa', manifest('db', 'ctl1', '20261118-010000-aaaa', true, [100]) + tested('20261118-010000-aaaa', '2026-11-18T05:00:00Z')],
  ['db/ctl1/20261120-010000-bbbb', manifest('db', 'ctl1', '20261120-010000-bbbb', true, [1000, 24])],
  ['db/ctl1/20261121-010000-cccc', manifest('db', 'ctl1', '20261121-010000-cccc', false, [5])],
  // files/cmp1: only an unverified backup.
  ['files/cmp1/20261121-013000-dddd', manifest('files', 'cmp1', '20261121-013000-dddd', false, [7])],
  // A refused manifest.
  ['files/ctl1/20261121-020000-eeee', '{ truncated'],
]));
const stor1 = { storage: 'stor1', root: ROOT, catalog };

describe('runbook backups --metrics', () => {
  const text = backupMetrics([stor1], ['stor2'], NOW);

  it('a HELP and TYPE line before each family, gauges, labelled by storage, kind and source host', () => {
    expect(text).toBe([
      '# HELP runbook_backup_catalog_up Whether the catalog of the storage host could be read (1) or not (0: unreachable, or unreadable).',
      '# TYPE runbook_backup_catalog_up gauge',
      'runbook_backup_catalog_up{storage="stor1"} 1',
      'runbook_backup_catalog_up{storage="stor2"} 0',
      '# HELP runbook_backup_problems Backup folders of the storage host whose manifest was refused: never listed nor restored.',
      '# TYPE runbook_backup_problems gauge',
      'runbook_backup_problems{storage="stor1"} 1',
      '# HELP runbook_backups Backups in the catalog (readable manifests, verified or not) of a kind and source host.',
      '# TYPE runbook_backups gauge',
      'runbook_backups{storage="stor1",kind="db",host="ctl1"} 3',
      'runbook_backups{storage="stor1",kind="files",host="cmp1"} 1',
      '# HELP runbook_backup_last_verified_timestamp_seconds When the newest verified backup of a kind and source host was created (Unix time).',
      '# TYPE runbook_backup_last_verified_timestamp_seconds gauge',
      `runbook_backup_last_verified_timestamp_seconds{storage="stor1",kind="db",host="ctl1"} ${Date.parse('2026-11-20T01:00:00Z') / 1000}`,
      '# HELP runbook_backup_last_verified_age_seconds Age of the newest verified backup of a kind and source host when this file was written.',
      '# TYPE runbook_backup_last_verified_age_seconds gauge',
      `runbook_backup_last_verified_age_seconds{storage="stor1",kind="db",host="ctl1"} ${25 * 3600}`,
      '# HELP runbook_backup_last_verified_size_bytes Size of the files of the newest verified backup of a kind and source host.',
      '# TYPE runbook_backup_last_verified_size_bytes gauge',
      'runbook_backup_last_verified_size_bytes{storage="stor1",kind="db",host="ctl1"} 1024',
      '# HELP runbook_backup_last_restore_tested_timestamp_seconds When the newest backup that passed a restore test of a kind and source host was created (Unix time).',
      '# TYPE runbook_backup_last_restore_tested_timestamp_seconds gauge',
      `runbook_backup_last_restore_tested_timestamp_seconds{storage="stor1",kind="db",host="ctl1"} ${Date.parse('2026-11-18T01:00:00Z') / 1000}`,
      '# HELP runbook_backup_last_restore_tested_age_seconds Age of the newest backup that passed a restore test of a kind and source host when this file was written.',
      '# TYPE runbook_backup_last_restore_tested_age_seconds gauge',
      `runbook_backup_last_restore_tested_age_seconds{storage="stor1",kind="db",host="ctl1"} ${73 * 3600}`,
      '',
    ].join('\n'));
  });

  it('writes no made-up values: no off-site family (there is no off-site copy yet), no age where nothing is verified', () => {
    expect(text).not.toContain('offsite');
    expect(text).not.toMatch(/_seconds\{[^}]*host="cmp1"/);
  });

  it('a catalog that could not be read is down, and has no other samples', () => {
    expect(backupMetrics([{ storage: 'stor1', root: ROOT, error: 'Permission denied' }], [], NOW)).toBe(
      '# HELP runbook_backup_catalog_up Whether the catalog of the storage host could be read (1) or not (0: unreachable, or unreadable).\n# TYPE runbook_backup_catalog_up gauge\nrunbook_backup_catalog_up{storage="stor1"} 0\n',
    );
  });

  it('escapes label values (backslash, double quote, newline)', () => {
    expect(escapeLabel('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const odd = backupMetrics([{ ...stor1, storage: 'st"or\n1' }], [], NOW);
    expect(odd).toContain('runbook_backup_catalog_up{storage="st\\"or\\n1"} 1');
  });
});

describe('runbook backups --check', () => {
  const expected = [{ kind: 'db', hosts: ['ctl1', 'ctl2'] }, { kind: 'files', hosts: ['ctl1', 'cmp1'] }];

  it('one line per missing, stale or refused backup', () => {
    const report = checkStaleness([stor1], expected, { maxAge: 24 * HOUR }, NOW);
    expect(report.problems).toEqual([
      'stale: db backup of ctl1: the newest verified backup, 20261120-010000-bbbb, is 1d 1h old, more than --max-age 1d',
      'missing: db backup of ctl2: no verified backup',
      'missing: files backup of cmp1: no verified backup (1 not verified)',
      'missing: files backup of ctl1: no verified backup',
      `refused: ${ROOT}/files/ctl1/20261121-020000-eeee: ${catalog.problems[0]?.problem}`,
    ]);
  });

  it('passes what is fresh enough; --max-untested-age asks for a restore test that recent too', () => {
    const dbOnly = [{ kind: 'db', hosts: ['ctl1'] }];
    const onlyDb = { ...stor1, catalog: { entries: catalog.entries.filter((e) => e.kind === 'db'), problems: [] } };
    expect(checkStaleness([onlyDb], dbOnly, { maxAge: 26 * HOUR }, NOW)).toEqual({ problems: [], fresh: ['db/ctl1'] });
    expect(checkStaleness([onlyDb], dbOnly, { maxAge: 26 * HOUR, maxUntestedAge: 8 * 24 * HOUR }, NOW).problems).toEqual([]);
    expect(checkStaleness([onlyDb], dbOnly, { maxAge: 26 * HOUR, maxUntestedAge: 48 * HOUR }, NOW).problems).toEqual([
      'untested: db backup of ctl1: the newest restore-tested backup, 20261118-010000-aaaa, is 3d 1h old, more than --max-untested-age 2d',
    ]);
  });

  it('no restore test at all is a problem with --max-untested-age', () => {
    const untested = parseCatalog(ROOT, listing([['db/ctl1/20261121-010000-ffff', manifest('db', 'ctl1', '20261121-010000-ffff', true, [1])]]));
    expect(checkStaleness([{ ...stor1, catalog: untested }], [], { maxAge: 26 * HOUR, maxUntestedAge: 8 * 24 * HOUR }, NOW).problems).toEqual([
      'untested: db backup of ctl1: no backup passed a restore test (runbook exec verify-backup)',
    ]);
  });

  it('a backup created in the future (clock skew, a forged manifest) is not fresh forever', () => {
    const future = parseCatalog(ROOT, listing([['db/ctl1/20261121-010000-ffff', manifest('db', 'ctl1', '20261121-010000-ffff', true, [1], '2027-01-01T00:00:00Z')]]));
    expect(checkStaleness([{ ...stor1, catalog: future }], [], { maxAge: 26 * HOUR }, NOW).problems).toEqual([
      'stale: db backup of ctl1: the newest verified backup, 20261121-010000-ffff, was created 40d 22h in the future (2027-01-01T00:00:00Z): check the clocks',
    ]);
  });

  it('backups of one kind and host on two storage hosts count together: the newest wins', () => {
    const old = parseCatalog(ROOT, listing([['db/ctl1/20261101-010000-0000', manifest('db', 'ctl1', '20261101-010000-0000', true, [1])]]));
    const report = checkStaleness([{ ...stor1, storage: 'stor2', catalog: old }, { ...stor1, catalog: { entries: catalog.entries.filter((e) => e.kind === 'db'), problems: [] } }], [], { maxAge: 26 * HOUR }, NOW);
    expect(report).toEqual({ problems: [], fresh: ['db/ctl1'] });
  });

  it('an unreadable catalog is a problem', () => {
    expect(checkStaleness([{ storage: 'stor1', root: ROOT, error: 'Permission denied' }], [], { maxAge: HOUR }, NOW).problems).toEqual([`unreadable: stor1:${ROOT}: Permission denied`]);
  });

  it.each([
    [0, '0s'], [59_000, '59s'], [60_000, '1m'], [25 * HOUR, '1d 1h'], [26 * HOUR + 5 * 60_000, '1d 2h 5m'], [-5000, '0s'],
  ])('ageText(%d) is %s', (ms, text) => expect(ageText(ms)).toBe(text));
});
