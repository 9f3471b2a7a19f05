import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_COMPUTES, DEFAULT_DB_SIZE, DEFAULT_NET, DEFAULT_PORT, defaultInventoryPath, defaultLabDir, labHosts, repoRoot } from '../../lab/config.js';
import { inventoryText } from '../../lab/inventory.js';
import { sshFiles } from '../../lab/sshd.js';

describe('inventory/lab.yaml', () => {
  const dir = defaultLabDir();
  const config = { dir, computes: DEFAULT_COMPUTES, dbSize: DEFAULT_DB_SIZE, net: DEFAULT_NET, port: DEFAULT_PORT, inventory: defaultInventoryPath(dir) };

  it('the shipped file is exactly what lab up writes with the defaults', () => {
    const shipped = readFileSync(join(repoRoot(), 'inventory', 'lab.yaml'), 'utf8');
    expect(shipped).toBe(inventoryText(config, labHosts(config), sshFiles(config)));
  });

  it('is an Ansible inventory with the lab groups, addresses and paths relative to itself', () => {
    const inv = parse(inventoryText(config, labHosts(config), sshFiles(config))) as {
      all: { vars: Record<string, unknown>; children: Record<string, { hosts: Record<string, { ansible_host: string; ansible_port: number }> }> };
    };
    expect(inv.all.vars).toMatchObject({
      ansible_user: 'root',
      ansible_ssh_private_key_file: '../.lab/ssh/id_ed25519',
      runbook_known_hosts: '../.lab/ssh/known_hosts',
      runbook_drillable: true,
    });
    expect(inv.all.children['controller']?.hosts).toEqual({ ctl1: { ansible_host: '127.77.1.1', ansible_port: 2222 } });
    expect(Object.keys(inv.all.children['compute']?.hosts ?? {})).toEqual(['cmp1', 'cmp2']);
    expect(inv.all.children['storage']?.hosts['stor1']?.ansible_host).toBe('127.77.3.1');
  });

  it('gives 60 compute hosts distinct addresses', () => {
    const hosts = labHosts({ ...config, computes: 60 });
    expect(new Set(hosts.map((h) => h.address)).size).toBe(62);
    expect(hosts.at(-2)?.address).toBe('127.77.2.60');
  });

  it('with the off-site Swift: site2 in group offsite at 127.NET.4.1, and where the copies go (never the key)', () => {
    const offsite = { ...config, offsite: true };
    const inv = parse(inventoryText(offsite, labHosts(offsite), sshFiles(offsite))) as {
      all: { vars: Record<string, unknown>; children: Record<string, { hosts: Record<string, { ansible_host: string }> }> };
    };
    expect(inv.all.children['offsite']?.hosts).toEqual({ site2: { ansible_host: '127.77.4.1', ansible_port: 2222 } });
    expect(inv.all.vars).toMatchObject({ offsite_swift_auth_url: 'http://site2:8080/auth/v1.0', offsite_swift_user: 'runbook:backup', offsite_swift_container: 'runbook-backups' });
    expect(Object.keys(inv.all.vars).some((k) => /key/i.test(k) && k !== 'ansible_ssh_private_key_file')).toBe(false);
  });
});
