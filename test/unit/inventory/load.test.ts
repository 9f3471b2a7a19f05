import { chmodSync, mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LoadOptions, loadInventory as loadResult } from '../../../src/inventory/load.js';
import { loadInventoryOrThrow as loadInventory } from '../../support/inventories.js';

const fixtures = join(import.meta.dirname, '../../fixtures/inventories');
const defaults = { user: 'operator', home: '/home/operator', env: {} };
const load = (name: string) => loadInventory(join(fixtures, name), '/nonexistent', defaults);

function diagnosticsOf(spec: string, cwd = '/nonexistent', options: LoadOptions = defaults) {
  const loaded = loadResult(spec, cwd, options);
  if (loaded.ok) throw new Error('expected diagnostics');
  return loaded.error.map((d) => ({ line: d.line, column: d.column, message: d.message }));
}

describe('loadInventory', () => {
  const inv = load('inv-openstack.yaml');
  const host = (name: string) => inv.hosts.find((h) => h.name === name)!;

  it('keeps hosts in file order', () => {
    expect(inv.hosts.map((h) => h.name)).toEqual(['bastion', 'ctl1', 'ctl2', 'cmp1', 'cmp2', 'stor1', 'runner']);
  });

  it('merges variables: all < parent group < child group < host', () => {
    expect(host('cmp1').vars.level).toBe('openstack');
    expect(host('ctl1').vars.level).toBe('controller');
    expect(host('ctl2').vars.level).toBe('host');
    expect(host('bastion').vars.level).toBe('all');
    expect(host('stor1').vars.backup_root).toBe('/var/backups/openstack');
  });

  it('breaks ties between groups of the same depth alphabetically, the later winning', () => {
    // controller (depth 2) beats zz_override (depth 1) for ctl1: depth first, then name.
    expect(host('ctl1').vars.role).toBe('controller');
    expect(host('stor1').vars.role).toBe('storage');
  });

  it('reads the connection variables with their defaults', () => {
    expect(host('stor1')).toMatchObject({ address: '10.0.0.31', port: 2222, user: 'swift', connection: 'ssh' });
    expect(host('cmp1')).toMatchObject({ address: '10.0.0.21', port: 22, user: 'root' });
    expect(host('runner')).toMatchObject({ address: 'runner', connection: 'local', hostKeyPolicy: 'accept-new' });
    expect(host('ctl1').privateKeyFile).toBe(join(fixtures, 'keys/id_ed25519'));
    expect(host('cmp2').privateKeyFile).toBe('/home/operator/.ssh/ops');
    expect(inv.knownHostsFile).toBe(join(fixtures, 'keys/known_hosts'));
    expect(host('cmp1').knownHostsFile).toBe(join(fixtures, 'keys/known_hosts'));
    expect(inv.hostKeyPolicy).toBe('strict');
  });

  it('lists every group of a host, ancestors included, all excluded', () => {
    expect(host('ctl1').groups).toEqual(['controller', 'openstack', 'zz_override']);
    expect(host('bastion').groups).toEqual(['ungrouped']);
  });

  it('hashes the file', () => {
    expect(inv.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports every structural error with its position', () => {
    expect(diagnosticsOf(join(fixtures, 'inv-broken.yaml'))).toEqual([
      { line: 4, column: 21, message: 'ansible_port must be a port number (1-65535)' },
      { line: 6, column: 27, message: 'ansible_connection "winrm" is not supported (use ssh or local)' },
      { line: 9, column: 7, message: "unknown key 'host' in group 'db' (expected hosts, vars, children)" },
    ]);
  });

  it('reads ansible_become as Ansible does, and refuses the become settings runbook would ignore', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'inv-'));
    const file = join(cwd, 'become.yaml');
    writeFileSync(file, ['all:', '  vars:', '    ansible_user: stack', '    ansible_become: yes', '  hosts:', '    h1:', '    h2: { ansible_become: false }', '    h3:', ''].join('\n'));
    const inv = loadInventory(file, cwd, defaults);
    expect(inv.hosts.map((h) => [h.name, h.become])).toEqual([['h1', true], ['h2', false], ['h3', true]]);
    writeFileSync(file, 'all:\n  hosts:\n    h1: { ansible_become: 1 }\n');
    expect(diagnosticsOf(file, cwd)).toEqual([{ line: 3, column: 27, message: 'ansible_become must be true or false, not 1' }]);
    const bad = ['all:', '  vars:', '    ansible_become: maybe', '    ansible_become_user: nova', '    ansible_become_method: su', '    ansible_become_password: x', '  hosts:', '    h1:', ''];
    writeFileSync(file, bad.join('\n'));
    expect(diagnosticsOf(file, cwd)).toEqual([
      { line: 3, column: 21, message: 'ansible_become must be true or false, not "maybe"' },
      { line: 4, column: 26, message: 'ansible_become_user "nova" is not supported: runbook becomes root only' },
      { line: 5, column: 28, message: 'ansible_become_method "su" is not supported: runbook becomes root with sudo -n' },
      { line: 6, column: 30, message: expect.stringMatching(/^a become password is not supported: runbook runs sudo -n/) },
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const [first] = diagnosticsOf(join(fixtures, 'inv-syntax.yaml'));
    expect(first?.line).toBeGreaterThanOrEqual(3);
  });

  it('finds inventory/NAME.yaml or .yml under cwd, and defaults known_hosts to the environment', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'inv-'));
    mkdirSync(join(cwd, 'inventory'));
    writeFileSync(join(cwd, 'inventory', 'lab.yml'), 'all:\n  hosts:\n    h1:\n');
    const lab = loadInventory('lab', cwd, { ...defaults, env: { RUNBOOK_KNOWN_HOSTS: '/etc/kh' } });
    expect(lab.file).toBe(join(cwd, 'inventory', 'lab.yml'));
    expect(lab.knownHostsFile).toBe('/etc/kh');
    expect(lab.hosts[0]).toMatchObject({ name: 'h1', user: 'operator', port: 22 });
    expect(loadInventory('lab', cwd, defaults).knownHostsFile).toBe('/home/operator/.ssh/known_hosts');
    expect(diagnosticsOf('prod', cwd)[0]?.message).toMatch(/no inventory 'prod'/);
  });
});

describe('loadInventory: any Ansible inventory', () => {
  const tree = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'inv-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  };

  it('reads an INI file, a directory of sources and a comma list, with group_vars beside each', () => {
    const dir = tree({
      'site/01-hosts': '[web]\nweb[1:2] ansible_ssh_user=deploy ansible_ssh_port=2222\n',
      'site/02-db.yml': 'db:\n  hosts:\n    db1:\n',
      'site/03-skipped.ini': '[skipped]\nnever\n',
      'site/group_vars/web.yml': 'ansible_ssh_host: 10.0.0.5\n',
      'other/hosts': '[db]\ndb2\n',
      'other/group_vars/db': 'from_other: yes\n',
    });
    const inv = loadInventory(`site,other/hosts`, dir, defaults);
    expect(inv.file).toBe(`${join(dir, 'site')},${join(dir, 'other/hosts')}`);
    expect(inv.hosts.map((h) => h.name)).toEqual(['web1', 'web2', 'db1', 'db2']);
    expect(inv.hosts[0]).toMatchObject({ address: '10.0.0.5', port: 2222, user: 'deploy' });
    expect(inv.hosts[2]?.vars).toEqual({ from_other: true });
  });

  it("reads Ansible's inline host list", () => {
    const inv = loadInventory('web1,web2:2200,', '/nonexistent', defaults);
    expect(inv.hosts.map((h) => [h.name, h.port])).toEqual([['web1', 22], ['web2', 2200]]);
    expect(inv.groups.get('ungrouped')?.hosts).toEqual(['web1', 'web2']);
  });

  it('reads the runbook folder group_vars after the inventory ones', () => {
    const dir = tree({ 'inventory/prod': '[db]\ndb1\n', 'inventory/group_vars/db.yml': 'x: inventory\n', 'runbooks/group_vars/all.yml': 'x: runbook_all\ny: runbook\n' });
    const inv = loadInventory('prod', dir, { ...defaults, playbookDir: join(dir, 'runbooks') });
    // group_vars/all of the runbook comes before group_vars/db of the inventory (Ansible's order).
    expect(inv.hosts[0]?.vars).toEqual({ x: 'inventory', y: 'runbook' });
  });

  it('reports INI and vars-file problems at file:line:col, and says what it tried', () => {
    const dir = tree({ hosts: 'just some words here\n', 'good/hosts': '[g]\nh1\n', 'good/group_vars/g.yml': '- a list\n' });
    expect(diagnosticsOf(join(dir, 'hosts'))).toEqual([
      { line: 1, column: 6, message: "expected key=value after the host name, got 'some'" },
      { line: undefined, column: undefined, message: expect.stringMatching(/^not an inventory: read as YAML and as INI, as Ansible does; both failed .*as YAML: a YAML inventory is a mapping of groups/) },
    ]);
    expect(diagnosticsOf(join(dir, 'good'))).toEqual([{ line: 1, column: 1, message: 'a vars file is a mapping of variable names to values' }]);
    expect(diagnosticsOf('missing.ini,also-missing.yml', dir).map((d) => d.message)).toEqual([expect.stringMatching(/^no inventory 'missing.ini'/), expect.stringMatching(/^no inventory 'also-missing.yml'/)]);
  });

  it('refuses inventory scripts, plugin configs and TOML by name', () => {
    const dir = tree({ 'script.sh': '#!/bin/sh\necho {}\n', 'aws_ec2.yml': 'plugin: amazon.aws.aws_ec2\n', 'hosts.toml': '[web]\n' });
    chmodSync(join(dir, 'script.sh'), 0o755);
    expect(diagnosticsOf(join(dir, 'script.sh'))[0]?.message).toMatch(/inventory scripts are not supported/);
    expect(diagnosticsOf(join(dir, 'aws_ec2.yml'))[0]?.message).toMatch(/inventory plugin 'amazon.aws.aws_ec2' is not supported/);
    expect(diagnosticsOf(join(dir, 'hosts.toml'))[0]?.message).toMatch(/TOML inventories are not supported/);
  });

  it('refuses connection settings it would have to ignore, where they are written; shows them when only listing', () => {
    const dir = tree({ hosts: ['[g]', "h1 ansible_ssh_common_args='-o ProxyJump=bastion'", 'h2 ansible_ssh_pass=secret', "h3 ansible_ssh_common_args='-o StrictHostKeyChecking=no' ansible_python_interpreter=/usr/bin/python3", ''].join('\n') });
    expect(diagnosticsOf(join(dir, 'hosts')).map((d) => [d.line, d.message])).toEqual([
      [2, expect.stringMatching(/^ansible_ssh_common_args: '-o ProxyJump=bastion' is not supported/)],
      [3, expect.stringMatching(/^a login password is not supported/)],
    ]);
    expect(loadResult(join(dir, 'hosts'), dir, { ...defaults, checkConnectionVars: false }).ok).toBe(true);
  });

  it('decrypts vault values with the password files named in the environment, and keeps them as secrets', () => {
    const vault = join(fixtures, 'ansible-corpus/features/vault');
    const env = { ANSIBLE_VAULT_IDENTITY_LIST: `prod@${join(vault, 'prod-password')}`, ANSIBLE_VAULT_PASSWORD_FILE: join(vault, 'vault-password') };
    const inv = loadInventory(join(vault, 'hosts.yml'), '/', { ...defaults, env });
    expect(inv.hosts[0]?.vars).toMatchObject({ mysql_root_password: 'S3cr3t-db-pass!', prod_token: 'prod-only', rabbitmq_password: 'r4bb1t-s3cret', port: 5672 });
    expect([...(inv.secrets ?? [])].sort()).toEqual(['S3cr3t-db-pass!', 'k3y-in-file', 'prod-only', 'r4bb1t-s3cret']);
    expect(diagnosticsOf(join(vault, 'hosts.yml'), '/', { ...defaults, env: { ANSIBLE_VAULT_PASSWORD_FILE: '/nonexistent/pw' } })).toEqual([{ line: undefined, column: undefined, message: 'cannot read the vault password file: ENOENT' }]);
  });
});

describe('loadInventory: hostile input gets an error, never a crash', () => {
  it('stops at symlink loops, alias explosions, enormous ranges, and keeps __proto__ a plain variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inv-'));
    mkdirSync(join(dir, 'd', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'd', 'hosts'), '[a]\nh1\n');
    symlinkSync('..', join(dir, 'd', 'sub', 'loop'));
    expect(diagnosticsOf(join(dir, 'd'))[0]?.message).toMatch(/symlink loop/);
    const nine = (x: string) => `[${Array(9).fill(x).join(',')}]`;
    writeFileSync(join(dir, 'bomb.yml'), `a: &a ${nine('x')}\nb: &b ${nine('*a')}\nc: &c ${nine('*b')}\nd: &d ${nine('*c')}\ne: ${nine('*d')}\n`);
    expect(diagnosticsOf(join(dir, 'bomb.yml'))[0]?.message).toMatch(/aliases expand to too many nodes .*an alias bomb/);
    writeFileSync(join(dir, 'huge.ini'), '[g]\nh[0:99999999]\n');
    expect(diagnosticsOf(join(dir, 'huge.ini'))).toEqual([{ line: 2, column: 1, message: "host range 'h[0:99999999]' stands for more than 100000 hosts" }]);
    writeFileSync(join(dir, 'proto.ini'), `[g]\nh __proto__="{'polluted': 1}" deep=${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    const inv = loadInventory(join(dir, 'proto.ini'), dir, defaults);
    expect(Object.getPrototypeOf(inv.hosts[0]?.vars)).toBe(Object.prototype);
    expect(Object.keys(inv.hosts[0]?.vars ?? {})).toEqual(['__proto__', 'deep']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('loadInventory: YAML group names', () => {
  it('refuses a group name YAML reads as a number or a boolean, as Ansible does, saying how to write it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inv-'));
    writeFileSync(join(dir, 'groups.yml'), 'all:\n  children:\n    2024:\n      hosts:\n        h1:\n    on:\n      hosts:\n        h2:\n');
    expect(diagnosticsOf(join(dir, 'groups.yml'))).toEqual([
      { line: 3, column: 5, message: "group names are non-empty strings (quote '2024' to use it as one)" },
      { line: 6, column: 5, message: "group names are non-empty strings (quote 'on' to use it as one)" },
    ]);
  });
});
