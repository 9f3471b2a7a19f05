import { describe, expect, it } from 'vitest';
import { databasesOfDumps } from '../../../src/template/dumps.js';
import { TemplateEngine } from '../../../src/template/index.js';

const FILES = [{ name: 'cinder.sql.gz' }, { name: 'heat.sql.gz' }, { name: 'mysql.users.sql.gz' }, { name: 'nova_api.sql.gz' }, { name: 'notes.txt' }];

describe('databasesOfDumps', () => {
  it('takes every <db>.sql.gz of a backup, in its order, and not the accounts file', () => {
    expect(databasesOfDumps(FILES, [])).toEqual({ ok: true, value: ['cinder', 'heat', 'nova_api'] });
    expect(databasesOfDumps(FILES, undefined)).toEqual({ ok: true, value: ['cinder', 'heat', 'nova_api'] });
  });

  it('takes zstd dumps (backup-db 1.3.0) as gzip ones, and not the checksums nor the accounts', () => {
    const files = [{ name: 'cinder.checksums.tsv' }, { name: 'cinder.sql.zst' }, { name: 'mysql.users.sql.zst' }, { name: 'nova.checksums.tsv' }, { name: 'nova.sql.zst' }, { name: 'old.sql.gz' }, { name: 'x.sql.zstd' }];
    expect(databasesOfDumps(files, [])).toEqual({ ok: true, value: ['cinder', 'nova', 'old'] });
  });

  it('narrows to the wanted databases, in the backup\'s order', () => {
    expect(databasesOfDumps(FILES, ['nova_api', 'cinder'])).toEqual({ ok: true, value: ['cinder', 'nova_api'] });
  });

  it('refuses a wanted database the backup does not hold, naming it and what it holds', () => {
    expect(databasesOfDumps(FILES, ['nova', 'cinder'])).toEqual({ ok: false, error: 'the backup holds no database nova (it holds cinder, heat, nova_api)' });
  });

  it('refuses what is not a list of files', () => {
    expect(databasesOfDumps('nova.sql.gz', [])).toMatchObject({ ok: false });
  });
});

describe('the SQL helpers', () => {
  const engine = new TemplateEngine();
  const render = (source: string, context: object): string => engine.render(source, context, 'shell');

  it('sql_identifier backquotes a name, then the shell quotes the whole', () => {
    expect(render('{{sql_identifier item}}', { item: 'nova' })).toBe("'`nova`'");
    expect(render('{{sql_identifier item}}', { item: 'a`b' })).toBe("'`a``b`'");
  });

  it('sql_literal quotes a string for SQL, then for the shell; a number stays a number', () => {
    expect(render('{{sql_literal item}}', { item: 'nova' })).toBe(`''\\''nova'\\'''`);
    expect(render('{{sql_literal n}}', { n: 60 })).toBe('60');
  });

  it('dump_databases in #each gives each database of a backup its name, identifier and literal', () => {
    const source = '{{#each (dump_databases files wanted)}}\nrestore {{this}} {{sql_identifier this}} {{sql_literal this}}\n{{/each}}\n';
    expect(render(source, { files: FILES, wanted: [] })).toBe(
      ["restore cinder '`cinder`' ''\\''cinder'\\'''", "restore heat '`heat`' ''\\''heat'\\'''", "restore nova_api '`nova_api`' ''\\''nova_api'\\'''", ''].join('\n'),
    );
    expect(() => render(source, { files: FILES, wanted: ['glance'] })).toThrowError(/the backup holds no database glance/);
  });

  it('what sql_literal and sql_identifier give reaches mysql as the SQL text sql.ts makes', async () => {
    const { execFileSync } = await import('node:child_process');
    const line = render('printf "%s\\n" "DROP DATABASE IF EXISTS "{{sql_identifier a}}" WHERE DB = "{{sql_literal a}}', { a: "x'`y" });
    expect(execFileSync('sh', ['-c', line], { encoding: 'utf8' })).toBe("DROP DATABASE IF EXISTS `x'``y` WHERE DB = 'x''`y'\n");
  });
});
