import { describe, expect, it } from 'vitest';
import { diffFingerprints, type Fingerprint } from '../../lab/api.js';
import { maskMarkers } from '../../lab/drill-mask.js';

function fingerprint(rows: number, files: Record<string, string>, other = 'a'): Fingerprint {
  return {
    sha256: `${rows}${Object.keys(files).join()}${other}`,
    hosts: {
      ctl1: {
        host: 'ctl1',
        sha256: `${rows}${Object.keys(files).join()}${other}`,
        paths: { '/etc/nova': { sha256: Object.keys(files).join(), entries: { '.': 'dir', ...files } } },
        databases: { ok: true, accounts: 'x', databases: { nova: { sha256: String(rows), tables: { instances: { rows, sha256: String(rows) }, services: { rows: 3, sha256: other } } } } },
      },
    },
  };
}

const places = { tables: [{ host: 'ctl1', database: 'nova', table: 'instances' }], files: [{ host: 'ctl1', path: '/etc/nova/runbook-drill-u' }] };

describe('maskMarkers', () => {
  it('leaves the tables and files holding markers out of the comparison', () => {
    const before = fingerprint(874, { 'nova.conf': 'f1', 'runbook-drill-u': 'f2' });
    const after = fingerprint(873, { 'nova.conf': 'f1' });
    expect(diffFingerprints(before, after)).not.toEqual([]);
    expect(diffFingerprints(maskMarkers(before, places), maskMarkers(after, places))).toEqual([]);
  });

  it('still sees every other difference', () => {
    const before = fingerprint(874, { 'nova.conf': 'f1' });
    const after = fingerprint(873, { 'nova.conf': 'f1' }, 'b');
    expect(diffFingerprints(maskMarkers(before, places), maskMarkers(after, places))).toEqual(['ctl1 db nova.services: rows 3 -> 3 (content differs)']);
  });

  it('does not change the fingerprint it is given', () => {
    const before = fingerprint(874, { 'runbook-drill-u': 'f2' });
    maskMarkers(before, places);
    expect(before.hosts['ctl1']?.paths['/etc/nova']).toMatchObject({ entries: { 'runbook-drill-u': 'f2' } });
  });
});
