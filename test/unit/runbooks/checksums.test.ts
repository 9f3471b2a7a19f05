import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRunbook } from '../../../src/runbook/load.js';
import { orThrow } from '../../support/results.js';

// The per-table checksums (issue #17): backup-db writes them, recover, recover-nova and
// verify-backup prove a restore by them. Each runbook holds its own copy of the shell that
// writes and compares them; a restore is only proven when all copies are the same text.
const vars = (name: string): Record<string, unknown> =>
  orThrow(loadRunbook(fileURLToPath(new URL(`../../../runbooks/${name}.yaml`, import.meta.url)))).vars as Record<string, unknown>;

const sh = (script: string): string => execFileSync('bash', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const shAll = (script: string): string => execFileSync('bash', ['-c', `${script} 2>&1`], { encoding: 'utf8' });

describe('the checksum shell of the database runbooks', () => {
  it('is the same text in every runbook that backs up or restores databases', () => {
    const [first, ...others] = ['backup-db', 'recover', 'recover-nova', 'verify-backup', 'backup-db-physical', 'recover-db-physical'].map((r) => vars(r).checksums);
    expect(typeof first).toBe('string');
    for (const other of others) expect(other).toBe(first);
  });

  it('reads dumps and live checksums the same way in recover, recover-nova and recover-db-physical', () => {
    expect(vars('recover').dumps).toBe(vars('recover-nova').dumps);
    expect(vars('recover-db-physical').dumps).toBe(vars('recover').dumps);
  });

  const checksums = String(vars('backup-db').checksums);
  const dir = mkdtempSync(join(tmpdir(), 'checksums-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, lines: string[]): string => {
    writeFileSync(join(dir, name), lines.map((l) => `${l.split(' ').join('\t')}\n`).join(''));
    return join(dir, name);
  };
  const backup = file('backup.tsv', ['database nova - utf8mb4 - -', 'table nova instances d1 873 111', 'table nova services d2 4 222', 'objects nova - o1 - -']);

  it('names the first table whose line differs, the backup line and the restored one', () => {
    const restored = file('changed.tsv', ['database nova - utf8mb4 - -', 'table nova instances d1 873 999', 'table nova services d2 4 222', 'objects nova - o1 - -']);
    expect(shAll(`${checksums}\nfirst_difference ${backup} ${restored}`)).toBe('backup:   table nova instances d1 873 111\nrestored: table nova instances d1 873 999\n');
  });

  it('names a table the restore lacks, and one the backup lacks', () => {
    const lacking = file('lacking.tsv', ['database nova - utf8mb4 - -', 'table nova instances d1 873 111', 'objects nova - o1 - -']);
    expect(shAll(`${checksums}\nfirst_difference ${backup} ${lacking}`)).toBe('backup:   table nova services d2 4 222\nrestored: (no such line)\n');
    const extra = file('extra.tsv', ['database nova - utf8mb4 - -', 'table nova extra d9 1 1', 'table nova instances d1 873 111', 'table nova services d2 4 222', 'objects nova - o1 - -']);
    expect(shAll(`${checksums}\nfirst_difference ${backup} ${extra}`)).toBe('backup:   (no such line)\nrestored: table nova extra d9 1 1\n');
  });

  it('says nothing when the files are equal', () => {
    expect(shAll(`${checksums}\nfirst_difference ${backup} ${backup}`)).toBe('');
  });

  it('splits the lines of several databases into one file each', () => {
    const out = join(dir, 'split-');
    sh(`${checksums}\nprintf 'table\\tnova\\ta\\td\\t1\\t2\\ntable\\tcinder\\tv\\td\\t3\\t4\\nobjects\\tnova\\t\\to\\t\\t\\n' | split_sums ${out}`);
    expect(sh(`cat ${out}nova.checksums.tsv`)).toBe('table\tnova\ta\td\t1\t2\nobjects\tnova\t\to\t\t\n');
    expect(sh(`cat ${out}cinder.checksums.tsv`)).toBe('table\tcinder\tv\td\t3\t4\n');
  });

  it('writes checksum statements with the database as a SQL literal, the rest as fixed SQL', () => {
    const statements = sh(`${checksums}\nsums_sql "'nova'"`);
    expect(statements.split('\n')[0]).toBe("SET @db = 'nova';");
    // Read in the session's snapshot: a SELECT, never CHECKSUM TABLE (which reads the latest rows).
    expect(statements).toContain('BIT_XOR(CRC32(CONCAT_WS');
    expect(statements).not.toMatch(/CHECKSUM TABLE/i);
  });
});

describe("recover's sql_of", () => {
  const dumps = String(vars('recover').dumps);
  const dir = mkdtempSync(join(tmpdir(), 'sql-of-'));
  sh(`cd ${dir} && echo 'SELECT 1;' | zstd -q > a.sql.zst && echo 'SELECT 2;' | gzip -n > b.sql.gz && echo 'SELECT 3;' | zstd -q | head -c 10 > broken.sql.zst`);

  it('decompresses a zstd dump and a gzip one by the file that is there', () => {
    expect(sh(`${dumps}\nsql_of ${dir}/a ${dir}/mark-a; sql_of ${dir}/b ${dir}/mark-b; ls ${dir}`)).toBe('SELECT 1;\nSELECT 2;\na.sql.zst\nb.sql.gz\nbroken.sql.zst\n');
  });

  it('leaves the mark when a dump does not decompress whole, or is not there', () => {
    sh(`${dumps}\nsql_of ${dir}/broken ${dir}/mark-broken 2>/dev/null; sql_of ${dir}/none ${dir}/mark-none 2>/dev/null; true`);
    expect(sh(`ls ${dir} | grep mark`)).toBe('mark-broken\nmark-none\n');
  });
});
