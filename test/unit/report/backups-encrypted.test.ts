import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../src/catalog/read.js';
import { backupsJson, backupsTable } from '../../../src/report/backups.js';

// `runbook backups` says which backups are encrypted, and to how many recipients (--json: to whom).
const AGE = 'age1tq6vnfl4d5qqys0ytxk57rpgv6yutmqah6vzxp5d994fzxljysmqwpd0r3';
const SSH = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPv5Sjk7eH6jQAeOkROHoHnjCoMNLkTK6MJzI75FdKw7';
const manifest = (id: string, encryption: unknown) =>
  JSON.stringify({
    format: 'runbook-backup/1', id, kind: 'db', host: 'ctl1', created: '2026-12-02T02:00:00.000Z', run: { id, runbook: 'backup-db', version: '1.3.0' },
    source_digest: '', contents: {}, depends_on: null, verified: true, verified_at: null,
    files: [encryption ? { name: 'nova.sql.gz.age', size: 10, sha256: 'a'.repeat(64), plain: { size: 3, sha256: 'b'.repeat(64) } } : { name: 'nova.sql.gz', size: 3, sha256: 'a'.repeat(64) }],
    ...(encryption === undefined ? {} : { encryption }),
  });
const LISTING = [
  ['20261130-020000-aaaa', manifest('20261130-020000-aaaa', undefined)],
  ['20261201-020000-bbbb', manifest('20261201-020000-bbbb', null)],
  ['20261202-020000-cccc', manifest('20261202-020000-cccc', { method: 'age', recipients: [AGE, SSH] })],
].map(([id, text]) => `\u001edb/ctl1/${id}\n${text}`).join('');
const catalog = parseCatalog('/b', LISTING);

describe('runbook backups: encryption', () => {
  it('the table says age and the number of recipients, or no', () => {
    const [, header, ...rows] = backupsTable([{ storage: 'stor1', root: '/b', catalog }]);
    expect(header).toMatch(/VERIFIED {2}ENCRYPTED {2}RESTORE TESTED/);
    expect(rows.map((r) => / (no|age \(\d\)) +never/.exec(r)?.[1])).toEqual(['no', 'no', 'age (2)']);
  });

  it('--json gives every backup its encryption: null for a plaintext one, old or new', () => {
    const json = backupsJson([{ storage: 'stor1', root: '/b', catalog }], []) as { storage: Array<{ backups: Array<{ encryption: unknown }> }> };
    expect(json.storage[0]?.backups.map((b) => b.encryption)).toEqual([null, null, { method: 'age', recipients: [AGE, SSH] }]);
  });
});
