import { describe, expect, it } from 'vitest';
import { destructiveParts, rawInsertionsIn, SHELL_FIELDS, secretsIn, unquoted } from '../../../src/lint/shell.js';
import { builtinModules } from '../../../src/modules/registry.js';

describe('destructiveParts', () => {
  it.each([
    ['rm -rf /var/lib/nova', 'rm -r'],
    ['rm -fr /x', 'rm -r'],
    ['rm --force --recursive /x', 'rm -r'],
    ['/bin/rm -R /x', 'rm -r'],
    ['mysql -e "drop table nova.instances"', 'SQL DROP'],
    ["mysql -e 'TRUNCATE TABLE nova.services'", 'SQL TRUNCATE'],
    ['mkfs -t xfs /dev/vdb', 'mkfs'],
    ['wipefs -a /dev/vdb', 'wipefs'],
    ['dd if=/dev/zero of=/dev/vdb', 'dd of='],
    ['truncate -s 0 /var/log/nova/nova-api.log', 'truncate'],
    ['echo x > /etc/hosts', '> truncates /etc/hosts'],
    ['cmd 2> /var/log/err.log', '> truncates /var/log/err.log'],
    ['echo x >| /etc/hosts', '> truncates /etc/hosts'],
    ['cat install.log > "$d/install.log"', '> truncates a quoted path'],
    ['mysql -e "DELETE FROM nova.instances WHERE deleted = 1"', 'SQL DELETE'],
    ['find /var/backups -mtime +30 -delete', 'find -delete'],
  ])('%s: %s', (command, label) => {
    expect(destructiveParts(command).join(' | ')).toContain(label);
  });

  it.each([
    'rm -f /tmp/lock',
    'echo x >> /var/log/a.log',
    'cmd >/dev/null 2>&1',
    'cmd 2>/dev/null >&2',
    "mysql -e 'select a > b from t'",
    'mysqldump --add-drop-table nova | gzip',
    'cat /etc/nova/nova.conf | grep -v "^#"',
    'add-user operator',
    'find /etc/nova -name "*.conf" -print',
    "mysql -e 'SELECT deleted FROM nova.instances'",
  ])('not destructive: %s', (command) => {
    expect(destructiveParts(command)).toEqual([]);
  });

  it('lets a redirect write the file the step creates (it runs only when the file is absent)', () => {
    expect(destructiveParts('mysqldump nova > {{vars.dump}}', '{{vars.dump}}')).toEqual([]);
    expect(destructiveParts('mysqldump nova > {{vars.dump}}', '{{vars.other}}')).toEqual(['> truncates {{vars.dump}}']);
  });

  it('lets a redirect write a file named after the run (it cannot exist before)', () => {
    expect(destructiveParts('mysqldump nova > /var/backups/nova-{{run.id}}.sql')).toEqual([]);
  });
});

describe('template scanning', () => {
  it('finds secrets in plain, raw and helper insertions', () => {
    expect(secretsIn('a {{secrets.one}} {{{secrets.two}}} {{default secrets.three "x"}} {{vars.secretsx}}')).toEqual(['one', 'two', 'three']);
  });

  it('finds raw insertions only', () => {
    expect(rawInsertionsIn('{{a}} {{{ b }}} {{{c}}}')).toEqual(['b', 'c']);
  });

  it('blanks quoted text', () => {
    expect(unquoted(`echo 'a > b' "c \\" > d" > e`)).toBe(`echo '' "" > e`);
  });
});

describe('SHELL_FIELDS', () => {
  // A module that starts running one of its arguments through a shell must be linted for it.
  it("covers every module's shell fields", () => {
    for (const [key, module] of builtinModules()) {
      for (const field of module.shellFields) expect(SHELL_FIELDS[key] ?? [], `${key}.${field}`).toContain(field);
    }
  });
});
