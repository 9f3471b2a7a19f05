import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hostContext, sharedContext } from '../../../src/engine/context.js';
import { buildPlan } from '../../../src/plan/plan.js';
import { loadRunbook } from '../../../src/runbook/load.js';
import type { RunArgs } from '../../../src/runbook/types.js';
import { TemplateEngine } from '../../../src/template/index.js';
import { groupsInventory } from '../../support/inventories.js';
import { orThrow } from '../../support/results.js';

// verify-backup's scratch MariaDB server listens only on a unix socket, whose path the kernel
// caps at 107 bytes (sun_path is 108 with its NUL). The path must stay under it whatever the
// inventory calls the controller.
const runbook = orThrow(loadRunbook(fileURLToPath(new URL('../../../runbooks/verify-backup.yaml', import.meta.url))));
const templates = new TemplateEngine();
const SUN_PATH_MAX = 107;
/** As long as a DNS label may be, and a whole domain name. */
const LABEL = 'controller-01-'.padEnd(63, 'x');
const FQDN = Array.from({ length: 4 }, () => 'x'.repeat(62)).join('.').slice(0, 253);

/** The runbook's vars, rendered for the controller `name` as a run `runId` renders them. */
function varsFor(name: string, runId = '20261121-183012-a1b2'): Record<string, unknown> {
  const { inventory } = groupsInventory({ controller: [name], compute: ['cmp1'], storage: ['stor1'] }, { backup_root: '/var/backups/openstack' });
  const planned = buildPlan(runbook, inventory);
  if (!planned.ok) throw new Error(JSON.stringify(planned.error));
  const host = planned.value.inventory.hosts.find((h) => h.name === name)!;
  const run = { id: runId, started: '', runbook: runbook.name, version: runbook.version, inventory: 'inv', check: false };
  return hostContext(sharedContext(planned.value, run, {}), host, runbook.vars, templates).vars;
}
const command = (id: string, key: 'run' | 'rollback'): string => (runbook.steps.find((s) => s.id === id)!.action.args as unknown as RunArgs)[key] ?? '';

describe("verify-backup's scratch server socket", () => {
  it.each([['a 63-character host name', LABEL], ['a 253-character host name', FQDN], ['a short host name', 'ctl1']])('stays under the unix socket limit for %s', (_, name) => {
    const vars = varsFor(name);
    expect(Buffer.byteLength(String(vars.socket))).toBeLessThanOrEqual(SUN_PATH_MAX);
    // Its length does not depend on the name.
    expect(String(vars.socket)).toHaveLength(String(varsFor('c').socket).length);
  });

  it('is one the old layout could not bind: the scratch folder itself is longer than a socket may be', () => {
    // Under db_scratch (the path before), a 63-character name took it to 122 bytes.
    expect(Buffer.byteLength(`${String(varsFor(LABEL).db_scratch)}/mysql/sock`)).toBeGreaterThan(SUN_PATH_MAX);
  });

  it('is unique per run and per host', () => {
    const sockets = [varsFor('ctl1').socket, varsFor('ctl2').socket, varsFor('ctl1', '20261121-183012-a1b3').socket, varsFor(LABEL).socket];
    expect(new Set(sockets).size).toBe(4);
  });

  it('is in a folder of its own, which the cleanup and the rollback remove', () => {
    const vars = varsFor(LABEL);
    expect(String(vars.socket).startsWith(`${String(vars.socket_dir)}/`)).toBe(true);
    expect(command('scratch-database', 'run')).toContain('--socket={{vars.socket}}');
    expect(command('scratch-database', 'rollback')).toMatch(/^rm -rf .*\{\{vars\.socket_dir\}\}$/m);
    expect(command('remove-db-scratch', 'run')).toMatch(/^rm -rf .*\{\{vars\.socket_dir\}\}$/m);
  });
});
