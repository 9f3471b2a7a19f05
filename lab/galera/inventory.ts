import type { LabHost } from '../config.js';
import { membersOf } from './config.js';

/**
 * The Galera lab's inventory group `galera`: the cluster's members (the controllers), which the
 * Galera runbooks act on, and `galera_backup_member`: the member backup-db dumps from (ctl3:
 * not the one the services write through, so its desync holds no writer back).
 */
export function galeraGroup(hosts: readonly LabHost[]): string[] {
  const members = membersOf(hosts);
  return [
    '    galera:',
    '      vars:',
    `        galera_backup_member: ${members[members.length - 1]?.name ?? 'ctl1'}`,
    '      hosts:',
    ...members.map((h) => `        ${h.name}: {}`),
  ];
}
