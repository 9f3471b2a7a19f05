import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFingerprints, labUp, type LabHandle } from '../../lab/api.js';
import type { DrillReport } from '../../src/drill/report-model.js';
import { runCli } from '../support/cli.js';

/**
 * On the real services a drill takes 1-4 minutes (stopping and starting OpenStack's daemons,
 * their APIs asked through the openstack CLI); room for a loaded 2-core machine.
 */
const DRILL_MS = 10 * 60_000;
/** The first lab of a machine builds its golden state (packages, db syncs, seed): minutes. */
const LAB_UP_MS = 25 * 60_000;

// Every shipped drill on one real-OpenStack lab, in a row, as an operator would run them: each
// leaves the lab healthy for the next. The reports must show the loss that really happened.
const root = fileURLToPath(new URL('../../', import.meta.url));
let lab: LabHandle;
let state: string;

// The off-site Swift's key (lab up --offsite writes it into the lab folder), for storage-node-loss.
const env: NodeJS.ProcessEnv = { RUNBOOK_DB_PASSWORD: 'runbook-lab-pass' };
const drill = (name: string, inventory = lab.inventory) => runCli(['drill', name, '-i', inventory, '--state-dir', state], { cwd: root, env });

function reportOf(stdout: string): DrillReport {
  const path = /^report: (.+)$/m.exec(stdout)?.[1];
  expect(path, stdout).toBeDefined();
  return JSON.parse(readFileSync(join(dirname(path!), 'report.json'), 'utf8')) as DrillReport;
}

function expectMeasured(report: DrillReport): void {
  expect(report.measured.rtoMs).toBeGreaterThan(0);
  expect(report.measured.backupAgeMs).toBeGreaterThan(0);
  expect(report.objectives.rto).toMatchObject({ met: true });
  expect(report.objectives.rpo).toMatchObject({ met: true });
  for (const run of report.runs) {
    expect(run.runId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(run.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(join(state, 'runs', `${run.runId}.jsonl`))).toBe(true);
    expect(run.steps.length).toBeGreaterThan(0);
  }
}

/** Markers written before the backup came back; those written after it are reported lost. */
function expectLossMeasured(report: DrillReport): void {
  const before = report.markers.filter((m) => m.stage === 'before-backup');
  const after = report.markers.filter((m) => m.stage === 'after-backup');
  expect(before.length).toBeGreaterThan(0);
  expect(before.every((m) => m.fate === 'restored')).toBe(true);
  expect(after.every((m) => m.fate === 'lost')).toBe(true);
  expect(report.measured).toMatchObject({ lost: after.length, restored: before.length, missing: 0 });
}

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-drills-')), kind: 'openstack', offsite: true, log: (line) => console.log(`lab: ${line}`) });
  env.RUNBOOK_SWIFT_KEY = readFileSync(join(lab.config.dir, 'swift', 'key'), 'utf8').trim();
  state = mkdtempSync(join(tmpdir(), 'runbook-drills-'));
}, LAB_UP_MS);

afterAll(async () => {
  await lab?.down();
});

describe('runbook drill on the lab', () => {
  it('refuses an inventory that is not drillable with exit 2, whatever the flags, and touches nothing', async () => {
    const inventory = join(dirname(lab.inventory), 'not-drillable.yaml');
    writeFileSync(inventory, readFileSync(lab.inventory, 'utf8').replace('runbook_drillable: true', 'runbook_drillable: false'));
    const before = await lab.fingerprint();
    const result = await runCli(['drill', 'nova-db-loss', '-i', inventory, '--state-dir', state, '--json'], { cwd: root, env });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain('runbook_drillable: true');
    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
    expect(existsSync(join(state, 'runs'))).toBe(false);
    expect(existsSync(join(state, 'drills'))).toBe(false);
  });

  it('nova-db-loss: the dropped nova databases come back; the instance row written after the backup is lost', async () => {
    const result = await drill('nova-db-loss');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = reportOf(result.stdout);
    expect(report).toMatchObject({ outcome: 'passed', exitCode: 0 });
    expect(report.verification.faultDiff).toContain('ctl1 db nova: dropped');
    expect(report.verification.fingerprintDiff).toEqual([]);
    expectMeasured(report);
    expectLossMeasured(report);
    const md = readFileSync(join(state, 'drills', report.id, 'report.md'), 'utf8');
    expect(md).toMatch(/\| nova-instance \| after-backup .* \| lost \|/);
    expect(md).toMatch(/\| nova-instance \| before-backup .* \| restored \|/);
    expect(md).toContain(`(../../runs/${report.runs[0]!.runId}.jsonl)`);
  }, DRILL_MS);

  it('nova-config-loss: /etc/nova comes back on the controller and the compute host', async () => {
    const result = await drill('nova-config-loss');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = reportOf(result.stdout);
    expectMeasured(report);
    expectLossMeasured(report);
  }, DRILL_MS);

  it('glance-images-loss: the image files come back', async () => {
    const result = await drill('glance-images-loss');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = reportOf(result.stdout);
    expectMeasured(report);
    expectLossMeasured(report);
  }, DRILL_MS);

  it('failed-recovery: the recovery fails on a corrupted dump, rolls back completely, and the state equals the one before it', async () => {
    const result = await drill('failed-recovery');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = reportOf(result.stdout);
    expect(report.recovery).toMatchObject({ expect: 'rolled-back', outcome: 'rolled-back', exitCode: 1, asExpected: true });
    const recovery = report.runs.find((r) => r.role === 'recovery')!;
    expect(recovery.rollback).toMatchObject({ started: true, complete: true });
    expect(recovery.rollback.tasks).toBeGreaterThan(0);
    expect(report.verification.checks).toContainEqual(expect.objectContaining({ check: 'fingerprint equals the pre-recovery state', ok: true }));
    // Nothing was lost: the rollback brought back the state the recovery found, markers included.
    expect(report.markers.map((m) => m.fate).sort()).toEqual(['restored', 'survived']);
    expectMeasured(report);
    // Cleanup put the corrupted dump back: whole zstd again (the fault had made the manifest
    // match the corruption, so the checksums alone would not tell), and matching its manifest.
    const dir = (await lab.ssh('stor1', 'ls -d /var/backups/openstack/db/ctl1/* | tail -n 1')).stdout.trim();
    const manifest = JSON.parse((await lab.ssh('stor1', `cat ${dir}/manifest.json`)).stdout) as { files: Array<{ name: string; sha256: string }> };
    const sums = manifest.files.map((f) => `${f.sha256}  ${f.name}`).join('\\n');
    const check = await lab.ssh('stor1', `cd ${dir} && printf '${sums}\\n' | sha256sum -c --quiet - && zstd -q -t nova_api.sql.zst`);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect((await lab.ssh('stor1', 'ls /var/tmp')).stdout).not.toContain('runbook-drill-failed-recovery');
  }, DRILL_MS);

  it('controller-loss: the datadir and every state directory come back, and the services answer through their APIs as before', async () => {
    const result = await drill('controller-loss');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = reportOf(result.stdout);
    expect(report.faults.length).toBeGreaterThan(10);
    expect(report.verification.faultDiff).toContain('ctl1 db keystone: dropped');
    expectMeasured(report);
    const fate = (id: string, stage: string): string | undefined => report.markers.find((m) => m.write === id && m.stage === stage)?.fate;
    // A token issued before the loss validates again: the fernet keys came back with /etc/keystone.
    // One issued after the backup validates too (no key rotation in between): fernet tokens
    // live in no database.
    expect([fate('keystone-token', 'before-backup'), fate('keystone-token', 'after-backup')]).toEqual(['restored', 'survived']);
    for (const id of ['nova-instance', 'glance-image-row', 'cinder-volume', 'nova-config-file']) {
      expect([id, fate(id, 'before-backup'), fate(id, 'after-backup')]).toEqual([id, 'restored', 'lost']);
    }
    const api = report.verification.checks.filter((c) => /token|image|server|service reports up|EC2|nova-status/.test(c.check));
    expect(api.map((c) => [c.check, c.ok])).toEqual(api.map((c) => [c.check, true]));
    expect(api).toHaveLength(6);
  }, DRILL_MS);

  it('keystone-keys-loss: new keys bring keystone back, and the report shows every earlier token and credential lost, the database kept', async () => {
    const result = await drill('keystone-keys-loss');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = reportOf(result.stdout);
    const fates = report.markers.map((m) => `${m.write} ${m.stage} ${m.fate}`).sort();
    expect(fates).toEqual([
      'ec2-credential after-backup lost', 'ec2-credential before-backup lost',
      'keystone-project after-backup survived', 'keystone-project before-backup restored',
      'keystone-token after-backup lost', 'keystone-token before-backup lost',
    ]);
    expect(report.objectives.rpo.why).toContain('as the drill expects: keystone-token, ec2-credential');
    expect(readFileSync(join(state, 'drills', report.id, 'report.md'), 'utf8')).toContain('Lost whatever the backup, as the drill shows (expect: lost): keystone-token, ec2-credential.');
    // The cleanup put the lab's keys back: what was stored before the drill decrypts again,
    // and the drill's own credentials are gone.
    const credentials = await lab.ssh('ctl1', 'openstack --os-cloud lab ec2 credentials list --user demo -f value -c Secret');
    expect(credentials.code, credentials.stderr).toBe(0);
    expect(credentials.stdout.trim().split('\n')).toHaveLength(1);
  }, DRILL_MS);

  it('storage-node-loss: the storage node\'s catalog and the controller are lost; recover takes every backup from the off-site Swift copy, and the APIs answer as before', async () => {
    const result = await drill('storage-node-loss');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = reportOf(result.stdout);
    expect(report.runs.map((r) => `${r.role} ${r.runbook}`)).toEqual(['backup backup-db', 'backup backup-files', 'backup copy-offsite', 'recovery recover']);
    expect(report.verification.faultDiff).toContain('ctl1 db keystone: dropped');
    expect(report.verification.fingerprintDiff).toEqual([]);
    expectMeasured(report);
    for (const id of ['nova-instance', 'glance-image-row', 'cinder-volume', 'nova-config-file']) {
      expect([id, ...['before-backup', 'after-backup'].map((stage) => report.markers.find((m) => m.write === id && m.stage === stage)?.fate)]).toEqual([id, 'restored', 'lost']);
    }
    const checks = report.verification.checks.filter((c) => /storage node|token|image|server|service reports up|EC2|nova-status/.test(c.check));
    expect(checks.map((c) => [c.check, c.ok])).toEqual(checks.map((c) => [c.check, true]));
    expect(checks).toHaveLength(7);
    // Both backups came from Swift, and the run says so; the key is in no journal.
    const recovery = report.runs.find((r) => r.role === 'recovery')!;
    const journal = readFileSync(join(state, 'runs', `${recovery.runId}.jsonl`), 'utf8');
    expect(journal).toMatch(/backup \S+ from the off-site copy swift:runbook-backups \(not in stor1:\/var\/backups\/openstack\)/);
    expect(journal).not.toContain("from the storage node's copy");
    for (const run of report.runs) expect(readFileSync(join(state, 'runs', `${run.runId}.jsonl`), 'utf8')).not.toContain(env.RUNBOOK_SWIFT_KEY!);
  }, DRILL_MS);

  it('exits 1 and says MISSED when the recovery is slower than the RTO, even though it worked', async () => {
    const result = await drill(join(root, 'test/fixtures/drills/tight-rto.yaml'));
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const report = reportOf(result.stdout);
    expect(report).toMatchObject({ outcome: 'failed', exitCode: 1, verification: { passed: true } });
    expect(report.objectives.rto).toMatchObject({ met: false, objective: '1ms' });
    expect(readFileSync(join(state, 'drills', report.id, 'report.md'), 'utf8')).toContain('| **MISSED** |');
  }, DRILL_MS);

  it('runbook drills lists every drill with its outcome and RTO/RPO against the objectives', async () => {
    const result = await runCli(['drills', '--state-dir', state], { cwd: root });
    expect(result.code).toBe(0);
    for (const name of ['nova-db-loss', 'nova-config-loss', 'glance-images-loss', 'failed-recovery', 'controller-loss', 'keystone-keys-loss', 'storage-node-loss']) {
      expect(result.stdout).toMatch(new RegExp(`${name} \\d+\\.\\d+\\.\\d+  \\|  passed  \\|  .* / (5m|10m|15m) met`));
    }
    expect(result.stdout).toMatch(/tight-rto 1\.0\.0  \|  failed  \|  .* \/ 1ms MISSED/);
    expect(readdirSync(join(state, 'drills'))).toHaveLength(8);
  });
});
