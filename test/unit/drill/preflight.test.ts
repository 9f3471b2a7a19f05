import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { missingRunbooks } from '../../../src/drill/calls.js';
import { loadDrill } from '../../../src/drill/load.js';
import { preflight } from '../../../src/drill/preflight.js';
import { orThrow } from '../../support/results.js';

// Preflight reads files only: these inventories point at hosts that do not exist.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const env = { RUNBOOK_DB_PASSWORD: 'x' };

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function inventory(drillable: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'drill-preflight-'));
  made.push(dir);
  const file = join(dir, 'cloud.yaml');
  writeFileSync(file, `all:
  vars: { ansible_user: root, backup_root: /var/backups/openstack${drillable} }
  children:
    controller: { hosts: { c1: { ansible_host: 192.0.2.1 } } }
    compute: { hosts: { n1: { ansible_host: 192.0.2.2 } } }
    storage: { hosts: { s1: { ansible_host: 192.0.2.3 } } }
`);
  return file;
}

describe('preflight', () => {
  it('refuses an inventory that does not declare itself drillable, before anything else', async () => {
    const result = await preflight('nova-db-loss', inventory(''), root, env);
    expect(result).toMatchObject({ kind: 'unsafe', message: expect.stringMatching(/not drillable: c1, n1, s1 do not set runbook_drillable: true/) });
  });

  it('refuses lab faults and the fingerprint on an inventory no lab wrote', async () => {
    const result = await preflight('nova-db-loss', inventory(', runbook_drillable: true'), root, env);
    expect(result).toMatchObject({ kind: 'unsafe', message: expect.stringMatching(/injects lab faults, and the inventory is not one a lab wrote/) });
  });

  it('refuses when a runbook secret is missing, naming it', async () => {
    const result = await preflight('nova-db-loss', inventory(', runbook_drillable: true'), root, {});
    expect(result).toMatchObject({ kind: 'usage', message: expect.stringMatching(/RUNBOOK_DB_PASSWORD/) });
  });

  it('refuses a run command that uses a host var its host lacks, naming host and variable', async () => {
    const file = inventory(', runbook_drillable: true').replace(/cloud\.yaml$/, 'no-root.yaml');
    writeFileSync(file, readFileSync(inventory(', runbook_drillable: true'), 'utf8').replace('backup_root: /var/backups/openstack, ', ''));
    const result = await preflight('failed-recovery', file, root, env);
    expect(result).toMatchObject({ kind: 'usage', message: expect.stringMatching(/drill failed-recovery, fault 'corrupt the newest nova_api dump, manifest updated to match' on s1: unknown template variable 'host\.vars\.backup_root'/) });
  });

  it('reports a drill that does not exist as a file error', async () => {
    const result = await preflight('no-such-drill', inventory(', runbook_drillable: true'), root, env);
    expect(result).toMatchObject({ kind: 'invalid', diagnostics: [expect.objectContaining({ message: expect.stringMatching(/cannot read drill/) })] });
  });
});

describe('missingRunbooks', () => {
  it('is empty for the shipped drills, whose runbooks ship', () => {
    for (const name of ['nova-db-loss', 'controller-loss', 'failed-recovery']) expect(missingRunbooks(orThrow(loadDrill(`${root}drills/${name}.yaml`)), root)).toEqual([]);
  });

  it('warns about a runbook that is not there', () => {
    const drill = { ...orThrow(loadDrill(`${root}drills/nova-db-loss.yaml`)), recovery: { runbook: 'recover-everything', params: {}, expect: 'succeeded' as const } };
    expect(missingRunbooks(drill, root)).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/runbook 'recover-everything' is not in runbooks/) })]);
  });
});
