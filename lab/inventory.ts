import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { LabConfig, LabHost } from './config.js';
import type { SshFiles } from './sshd.js';
import { swiftEndpoint } from './swift/configs.js';
import { SUDO_USER } from './users.js';
import { isGalera } from './galera/config.js';
import { galeraGroup } from './galera/inventory.js';

/** Who the inventory logs in as: root, or the operator account that becomes root with sudo. */
export type LabLogin = 'root' | 'sudo';

const GROUPS = [
  ['controller', 'controller'],
  ['compute', 'compute'],
  ['storage', 'storage'],
  ['offsite', 'offsite'],
] as const;

/**
 * The Ansible inventory of the lab. Paths are relative to the inventory file, so the shipped
 * inventory/lab.yaml (../.lab/ssh/...) works from any clone once `lab up` has run.
 */
export function inventoryText(config: LabConfig, hosts: readonly LabHost[], ssh: SshFiles, login: LabLogin = 'root'): string {
  const base = dirname(config.inventory);
  const rel = (p: string): string => relative(base, p);
  const user = login === 'root' ? ['    ansible_user: root'] : [`    ansible_user: ${SUDO_USER}`, '    ansible_become: true'];
  const lines = [
    '# yaml-language-server: $schema=../schemas/inventory.schema.json',
    '# The lab (lab/README.md): written by `npm run lab -- up`; this copy matches the defaults.',
    ...(login === 'root' ? [] : [`# Logs in as ${SUDO_USER}, an operator account with passwordless sudo, as on a deployed cloud.`]),
    'all:',
    '  vars:',
    ...user,
    `    ansible_ssh_private_key_file: ${rel(ssh.privateKey)}`,
    `    runbook_known_hosts: ${rel(ssh.knownHosts)}`,
    '    runbook_drillable: true',
    '    backup_root: /var/backups/openstack',
    ...offsiteVars(hosts),
    '  children:',
  ];
  for (const [group, role] of GROUPS) {
    if (group === 'offsite' && !hosts.some((x) => x.role === role)) continue;
    lines.push(`    ${group}:`, '      hosts:');
    for (const h of hosts.filter((x) => x.role === role)) {
      lines.push(`        ${h.name}: { ansible_host: ${h.address}, ansible_port: ${h.port} }`);
    }
  }
  if (isGalera(config)) lines.push(...galeraGroup(hosts));
  return `${lines.join('\n')}\n`;
}

/** Where the off-site copies go (docs/backups.md: offsite_swift_*), when the lab has its Swift; its key is RUNBOOK_SWIFT_KEY. */
function offsiteVars(hosts: readonly LabHost[]): string[] {
  const site = hosts.find((h) => h.role === 'offsite');
  if (!site) return [];
  const { auth_url: url, user, container } = swiftEndpoint(site);
  return [`    offsite_swift_auth_url: ${url}`, `    offsite_swift_user: "${user}"`, `    offsite_swift_container: ${container}`];
}

export function writeInventory(config: LabConfig, hosts: readonly LabHost[], ssh: SshFiles): void {
  mkdirSync(dirname(config.inventory), { recursive: true });
  writeFileSync(config.inventory, inventoryText(config, hosts, ssh));
  writeFileSync(sudoInventory(config.inventory), inventoryText(config, hosts, ssh, 'sudo'));
}

/** The inventory beside `inventory` (lab.yaml) that logs in as SUDO_USER: lab-sudo.yaml. */
export function sudoInventory(inventory: string): string {
  return join(dirname(inventory), `${basename(inventory).replace(/\.ya?ml$/, '')}-sudo.yaml`);
}
