import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hostContext, sharedContext } from '../../../src/engine/context.js';
import { buildPlan } from '../../../src/plan/plan.js';
import { loadRunbook } from '../../../src/runbook/load.js';
import type { RunArgs } from '../../../src/runbook/types.js';
import { TemplateEngine } from '../../../src/template/index.js';
import { groupsInventory } from '../../support/inventories.js';
import { orThrow } from '../../support/results.js';

// recover's database scripts, rendered as a run renders them from the backup it found (facts
// in, commands out): which databases, each one's identifier and literal quoted by
// src/command/sql.ts, its sessions ended and the lock wait bounded before the DROP.
const runbook = orThrow(loadRunbook(fileURLToPath(new URL('../../../runbooks/recover.yaml', import.meta.url))));
const templates = new TemplateEngine();
const FILES = ['cinder.sql.gz', 'heat.sql.gz', 'keystone.sql.gz', 'mysql.users.sql.gz'].map((name) => ({ name, size: 1, sha256: '0'.repeat(64) }));

/** The step's command, rendered for ctl1 with the params given over the defaults. */
function rendered(step: string, key: 'run' | 'rollback', params: Record<string, unknown> = {}): string {
  const { inventory } = groupsInventory({ controller: ['ctl1'], compute: ['cmp1'], storage: ['stor1'] }, { backup_root: '/var/backups/openstack' });
  const planned = buildPlan(runbook, inventory);
  if (!planned.ok) throw new Error(JSON.stringify(planned.error));
  const host = planned.value.inventory.hosts.find((h) => h.name === 'ctl1')!;
  const run = { id: '20261202-101010-abcd', started: '', runbook: runbook.name, version: runbook.version, inventory: 'inv', check: false };
  const shared = sharedContext(planned.value, run, {});
  const context = { ...hostContext({ ...shared, params: { ...shared.params, ...params } }, host, runbook.vars, templates), db_backup: { backup: { files: FILES } } };
  const source = (runbook.steps.find((s) => s.id === step)!.action.args as unknown as RunArgs)[key] ?? '';
  return templates.render(source, context, 'shell');
}

describe("recover's import of the databases", () => {
  it('restores every database of the backup by default, not the accounts file', () => {
    const lines = rendered('import-databases', 'run').split('\n').filter((l) => l.startsWith('queue '));
    expect(lines).toEqual([
      "queue cinder '`cinder`' ''\\''cinder'\\'''",
      "queue heat '`heat`' ''\\''heat'\\'''",
      "queue keystone '`keystone`' ''\\''keystone'\\'''",
    ]);
  });

  it('narrows to the databases param, and refuses one the backup does not hold', () => {
    expect(rendered('import-databases', 'run', { databases: ['keystone'] }).split('\n').filter((l) => l.startsWith('queue '))).toEqual(["queue keystone '`keystone`' ''\\''keystone'\\'''"]);
    expect(() => rendered('import-databases', 'run', { databases: ['nova'] })).toThrowError(/the backup holds no database nova \(it holds cinder, heat, keystone\)/);
  });

  it('ends the sessions, then drops and imports with the lock wait bounded by the param', () => {
    const script = rendered('import-databases', 'run', { lock_wait_timeout: 7 });
    const body = script.slice(script.indexOf('restore() {'));
    expect(body.indexOf('end_sessions "$3"')).toBeLessThan(body.indexOf('DROP DATABASE IF EXISTS $2'));
    expect(script).toContain("printf 'SET SESSION lock_wait_timeout = %s;\\n' 7");
    expect(script).toContain('lock_wait_timeout (7 s)');
  });

  it('the rollback puts back only the databases the run began to change', () => {
    const script = rendered('import-databases', 'rollback');
    expect(script).toContain('[ -f /var/lib/runbook/safety/recover-ctl1/touched-"$1" ] || return 0');
    expect(script.split('\n').filter((l) => l.startsWith('back '))).toHaveLength(3);
  });

  it('gives end_sessions a literal that reaches SQL as sql.ts quotes it', () => {
    const functions = rendered('import-databases', 'run').split('\n');
    const endSessions = functions.slice(functions.findIndex((l) => l.startsWith('end_sessions() {')), functions.findIndex((l) => l.startsWith('bounded()')));
    // sql() stubbed: it says on stderr the statement it would send, and finds no session.
    const literal = templates.render('{{sql_literal name}}', { name: "o'k" }, 'shell');
    const shell = ['sql() { printf "%s\\n" "$1" >&2; }', ...endSessions, `end_sessions ${literal} 2>&1`].join('\n');
    expect(execFileSync('sh', ['-c', shell], { encoding: 'utf8' })).toBe("SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND USER <> 'system user' AND (DB = 'o''k' OR USER IN (SELECT User FROM mysql.db WHERE Db = 'o''k'))\n");
  });
});
