import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { preflight } from '../../../src/drill/preflight.js';

// A drill recovers from the backups it takes: on an inventory that encrypts them, the recovery
// needs the identity, so a drill without it is refused before the fault (the lab would be left
// broken). Preflight reads files only: these hosts do not exist.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const AGE = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function inventory(recipients: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'drill-identity-'));
  made.push(dir);
  const file = join(dir, 'cloud.yaml');
  writeFileSync(file, `all:
  vars: { ansible_user: root, backup_root: /var/backups/openstack, runbook_drillable: true }
  children:
    controller: { hosts: { c1: { ansible_host: 192.0.2.1${recipients} } } }
    compute: { hosts: { n1: { ansible_host: 192.0.2.2 } } }
    storage: { hosts: { s1: { ansible_host: 192.0.2.3 } } }
`);
  return file;
}

describe('preflight: encrypted backups', () => {
  it('refuses a drill whose backups would be encrypted when the identity is not set, naming the hosts and the variable', async () => {
    const result = await preflight('nova-db-loss', inventory(`, backup_age_recipients: [${AGE}]`), root, { RUNBOOK_DB_PASSWORD: 'x' });
    expect(result).toMatchObject({
      kind: 'usage',
      message: 'recover-nova: the inventory encrypts the backups of c1 (backup_age_recipients), and the secret age_identity (the environment variable RUNBOOK_AGE_IDENTITY) is not set: the recovery could not decrypt them. Nothing was touched.',
    });
  });

  it('goes on with the identity set, or when nothing is encrypted (to the next check: lab faults need a lab)', async () => {
    const withIdentity = await preflight('nova-db-loss', inventory(`, backup_age_recipients: [${AGE}]`), root, { RUNBOOK_DB_PASSWORD: 'x', RUNBOOK_AGE_IDENTITY: 'AGE-SECRET-KEY-1X' });
    expect(withIdentity).toMatchObject({ kind: 'unsafe', message: expect.stringMatching(/is not one a lab wrote/) });
    for (const none of ['', ', backup_age_recipients: []']) {
      expect(await preflight('nova-db-loss', inventory(none), root, { RUNBOOK_DB_PASSWORD: 'x' })).toMatchObject({ kind: 'unsafe' });
    }
  });
});
