import { describe, expect, it } from 'vitest';
import { databasesOfDumps } from '../../../src/template/dumps.js';

// An encrypted backup's manifest names its dumps `<db>.sql.gz.age` (docs/backups.md,
// "Encryption"): recover finds its databases by those names as by the plaintext ones.
describe('databasesOfDumps of an encrypted backup', () => {
  it('takes every <db>.sql.gz.age, not the accounts file, and nothing else that ends in .age', () => {
    const files = [{ name: 'cinder.sql.gz.age' }, { name: 'mysql.users.sql.gz.age' }, { name: 'nova_api.sql.gz.age' }, { name: 'notes.txt.age' }, { name: 'nova.sql.gz.age.age' }];
    expect(databasesOfDumps(files, [])).toEqual({ ok: true, value: ['cinder', 'nova_api'] });
    expect(databasesOfDumps(files, ['nova_api'])).toEqual({ ok: true, value: ['nova_api'] });
  });
});
