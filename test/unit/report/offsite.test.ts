import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../src/catalog/read.js';
import { backupsJson, backupsTable } from '../../../src/report/backups.js';
import { backupMetrics } from '../../../src/report/metrics.js';
import { checkStaleness } from '../../../src/report/staleness.js';

// The storage node's catalog and the off-site copy, listed side by side: catalogs in, text out,
// with a clock of our own (2026-11-21 02:00:00Z).
const NOW = Date.parse('2026-11-21T02:00:00Z');
const HOUR = 3_600_000;
const manifest = (kind: string, host: string, id: string, created: string) => JSON.stringify({
  format: 'runbook-backup/1', id, kind, host, created, run: { id, runbook: `backup-${kind}`, version: '1.2.0' }, source_digest: 'x', contents: {}, depends_on: null,
  files: [{ name: 'f0', size: 10, sha256: 'a'.repeat(64) }], verified: true, verified_at: created,
});
const catalogOf = (root: string, backups: Array<[string, string, string, string]>) =>
  parseCatalog(root, backups.map(([kind, host, id, created]) => `\u001e${kind}/${host}/${id}\n${manifest(kind, host, id, created)}`).join(''));

const storage = { storage: 'stor1', root: '/var/backups/openstack', catalog: catalogOf('/var/backups/openstack', [
  ['db', 'ctl1', '20261120-010000-aaaa', '2026-11-20T01:00:00Z'],
  ['db', 'ctl1', '20261121-010000-bbbb', '2026-11-21T01:00:00Z'],
  ['files', 'ctl1', '20261121-010000-bbbb', '2026-11-21T01:00:00Z'],
]) };
// The off-site copy has the older db backup only (copy-offsite did not run last night), no files.
const offsite = { storage: 'swift:runbook-backups', root: '/runbook-backups', offsite: { via: 'stor1' }, catalog: catalogOf('/runbook-backups', [
  ['db', 'ctl1', '20261120-010000-aaaa', '2026-11-20T01:00:00Z'],
]) };

describe('runbook backups with an off-site copy', () => {
  it('the table lists both copies, each under its own title', () => {
    const lines = backupsTable([storage, offsite]);
    expect(lines[0]).toBe('stor1:/var/backups/openstack');
    expect(lines).toContain('swift:runbook-backups (off-site copy, read through stor1)');
    const off = lines.slice(lines.indexOf('swift:runbook-backups (off-site copy, read through stor1)'));
    expect(off.filter((l) => /^\d{8}-/.test(l)).map((l) => l.split(/ +/).slice(0, 3).join(' '))).toEqual(['20261120-010000-aaaa db ctl1']);
  });

  it('--json says which copy each listing is', () => {
    const json = backupsJson([storage, offsite], []) as { storage: Array<{ host: string; location: string; backups: unknown[] }> };
    expect(json.storage.map((s) => [s.host, s.location, s.backups.length])).toEqual([['stor1', 'storage', 3], ['swift:runbook-backups', 'offsite', 1]]);
  });

  it('--metrics: the off-site copy is a catalog of its own, and its newest copy has an age of its own', () => {
    const text = backupMetrics([storage, offsite], [], NOW);
    expect(text).toContain('runbook_backup_catalog_up{storage="swift:runbook-backups"} 1\n');
    expect(text).toContain('runbook_backup_offsite_last_verified_age_seconds{storage="swift:runbook-backups",kind="db",host="ctl1"} 90000\n');
    expect(text).toContain('runbook_backup_offsite_last_verified_timestamp_seconds{storage="swift:runbook-backups",kind="db",host="ctl1"} 1795136400\n');
    // The storage node's families stay the storage node's: the off-site copy does not make them fresher or older.
    expect(text).toContain('runbook_backup_last_verified_age_seconds{storage="stor1",kind="db",host="ctl1"} 3600\n');
    expect(text).not.toMatch(/runbook_backup_last_verified_age_seconds\{storage="swift/);
  });

  it('--check: an off-site copy missing or older than --max-age is a problem of its own', () => {
    const expected = [{ kind: 'db', hosts: ['ctl1'] }, { kind: 'files', hosts: ['ctl1'] }];
    expect(checkStaleness([storage, offsite], expected, { maxAge: 24 * HOUR }, NOW).problems).toEqual([
      'stale-offsite: db backup of ctl1: the newest copy in swift:runbook-backups, 20261120-010000-aaaa, is 1d 1h old, more than --max-age 1d',
      'missing-offsite: files backup of ctl1: no copy in swift:runbook-backups (runbook exec copy-offsite)',
    ]);
    expect(checkStaleness([storage, offsite], expected, { maxAge: 26 * HOUR }, NOW).problems).toEqual([
      'missing-offsite: files backup of ctl1: no copy in swift:runbook-backups (runbook exec copy-offsite)',
    ]);
  });

  it('--check: without an off-site copy declared, nothing is asked of one; an unreadable one is named', () => {
    expect(checkStaleness([storage], [{ kind: 'db', hosts: ['ctl1'] }], { maxAge: 26 * HOUR }, NOW).problems).toEqual([]);
    const broken = { ...offsite, catalog: undefined, error: 'swift: authentication failed' };
    expect(checkStaleness([storage, broken], [{ kind: 'db', hosts: ['ctl1'] }], { maxAge: 26 * HOUR }, NOW).problems).toEqual(['unreadable: swift:runbook-backups: swift: authentication failed']);
  });
});
