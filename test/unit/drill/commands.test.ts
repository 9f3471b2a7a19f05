import { describe, expect, it } from 'vitest';
import { renderDrillCommand } from '../../../src/drill/commands.js';
import type { Group } from '../../../src/inventory/types.js';
import { TemplateEngine } from '../../../src/template/template.js';
import { host, inventory } from '../../support/builders.js';

describe('renderDrillCommand', () => {
  const ctl = host('ctl1', ['controller']);
  const stor = { ...host('stor1', ['storage']), vars: { backup_root: '/var/backups/my cloud' } };
  const group = (name: string, members: string[]): [string, Group] => [name, { name, hosts: members, children: [], vars: {} }];
  const hosts = { ...inventory([ctl, stor]), groups: new Map([group('controller', ['ctl1']), group('storage', ['stor1'])]) };

  it('renders the host, hostvars and groups, values shell-quoted', () => {
    const command = 'ls {{host.vars.backup_root}}/db/{{groups.controller.[0]}}; echo {{hostvars.stor1.backup_root}}';
    expect(renderDrillCommand(new TemplateEngine(), command, stor, hosts)).toBe("ls '/var/backups/my cloud'/db/ctl1; echo '/var/backups/my cloud'");
  });

  it('fails on a host var the host lacks', () => {
    expect(() => renderDrillCommand(new TemplateEngine(), 'ls {{host.vars.backup_root}}', ctl, hosts)).toThrow(/unknown template variable 'host\.vars\.backup_root'/);
  });
});
