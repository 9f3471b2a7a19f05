import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFingerprints, labUp, type LabHandle } from '../../lab/api.js';
import { runCli } from '../support/cli.js';

// The engine, the modules and the lab together: a backup shipped to the storage node brings a
// destroyed /etc/nova back exactly, and a restore that fails later rolls the extract back exactly.
let lab: LabHandle;
let work: string;

const exec = (runbook: string, ...args: string[]) => runCli(['exec', runbook, '-i', lab.inventory, ...args], { cwd: work });

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-restore-')) });
  work = mkdtempSync(join(tmpdir(), 'runbook-restore-'));
  cpSync(fileURLToPath(new URL('../fixtures/lab-runbooks/', import.meta.url)), join(work, 'runbooks'), { recursive: true });
});

afterAll(async () => {
  await lab?.down();
});

describe('backup and restore of /etc/nova on the lab', () => {
  it('restores a deleted /etc/nova from the copy on the storage node, byte for byte', async () => {
    const before = await lab.fingerprint('ctl1');
    const backup = await exec('nova-config-backup');
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
    expect((await lab.ssh('stor1', 'tar -tzf /var/backups/rt/etc-nova.tar.gz')).stdout).toContain('etc/nova/nova.conf');

    await lab.fault({ kind: 'delete-path', host: 'ctl1', path: '/etc/nova' });
    expect(diffFingerprints(before, await lab.fingerprint('ctl1'))).not.toEqual([]);

    const restore = await exec('nova-config-restore');
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    expect(diffFingerprints(before, await lab.fingerprint('ctl1'))).toEqual([]);
  });

  it('rolls a restore that fails after the extract back to the state it found', async () => {
    await lab.fault({ kind: 'corrupt-file', host: 'ctl1', path: '/etc/nova/nova.conf' });
    const broken = await lab.fingerprint('ctl1');
    const restore = await exec('nova-config-restore', '--param', 'fail=true');
    expect(restore.code, restore.stdout + restore.stderr).toBe(1);
    expect(restore.stdout).toContain('rolled-back: [ctl1] restore');
    expect(diffFingerprints(broken, await lab.fingerprint('ctl1'))).toEqual([]);
  });
});
