import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
