import { describe, expect, it } from 'vitest';
import { renderReportMarkdown } from '../../../src/drill/report-md.js';
import type { DrillReport } from '../../../src/drill/report-model.js';

const report: DrillReport = {
  format: 'runbook-drill/1',
  id: '20261121-203706-f50d',
  drill: { name: 'nova-db-loss', version: '1.0.0', sha256: 'd'.repeat(64), file: '/r/drills/nova-db-loss.yaml', description: 'The nova databases are dropped.' },
  inventory: { file: '/r/inventory/lab.yaml', sha256: 'e'.repeat(64) },
  lab: '/r/.lab',
  operator: 'root',
  started: '2026-11-21T20:37:06.246Z',
  finished: '2026-11-21T20:37:13.583Z',
  outcome: 'passed',
  exitCode: 0,
  timeline: [{ phase: 'recovery', started: '2026-11-21T20:37:09.792Z', finished: '2026-11-21T20:37:12.592Z', durationMs: 2800, ok: true, detail: ['recover-nova 1.0.0: succeeded'] }],
  runs: [{
    role: 'recovery', runbook: 'recover-nova', runId: '20261121-203709-0c36', version: '1.0.0', sha256: 'f'.repeat(64), params: { backup: 'latest' },
    journal: '../../runs/20261121-203709-0c36.jsonl', started: '2026-11-21T20:37:09.792Z', finished: '2026-11-21T20:37:12.592Z', durationMs: 2800,
    outcome: 'succeeded', exitCode: 0, steps: [{ step: 'import-databases', host: 'ctl1', itemIndex: 0, status: 'changed', durationMs: 640 }],
    phases: [{ phase: 'fetch', durationMs: 700, steps: 2 }, { phase: 'import', durationMs: 1400, steps: 1 }],
    rollback: { started: false, complete: false, tasks: 0 },
  }],
  faults: ['lab fault drop-database: dropped database nova on ctl1'],
  recovery: { expect: 'succeeded', outcome: 'succeeded', exitCode: 0, startedAt: '2026-11-21T20:37:09.792Z', healthyAt: '2026-11-21T20:37:13.100Z', asExpected: true },
  measured: { rtoMs: 3308, backupAt: '2026-11-21T20:37:06.709Z', faultAt: '2026-11-21T20:37:09.530Z', backupAgeMs: 2821, lost: 1, restored: 1, missing: 0, survived: 0 },
  markers: [
    { write: 'nova-instance', stage: 'before-backup', host: 'ctl1', value: 'u-1', where: 'nova.instances.uuid', writtenAt: '2026-11-21T20:37:06.709Z', present: true, fate: 'restored' },
    { write: 'nova-instance', stage: 'after-backup', host: 'ctl1', value: 'u-2', where: 'nova.instances.uuid', writtenAt: '2026-11-21T20:37:09.240Z', present: false, fate: 'lost' },
  ],
  verification: { passed: true, checks: [{ check: 'service health', ok: true, detail: '6 service(s) active' }], fingerprintDiff: [], faultDiff: ['ctl1 db nova: dropped'] },
  objectives: {
    rto: { objective: '5m', objectiveMs: 300_000, measuredMs: 3308, met: true, why: '3.3 s' },
    rpo: { objective: '1h', objectiveMs: 3_600_000, measuredMs: 2821, met: false, why: 'the backup was too old' },
  },
};

describe('report.md', () => {
  const md = renderReportMarkdown(report);

  it('leads with the drill, its outcome and what it rehearsed', () => {
    expect(md.split('\n')[0]).toBe('# Drill nova-db-loss 1.0.0: PASSED');
    expect(md).toContain('The nova databases are dropped.');
  });

  it('states the objectives with target, measurement and result', () => {
    expect(md).toContain('| RTO (start of recovery to verified health) | 5m | 3.3 s | met | 3.3 s |');
    expect(md).toContain('| RPO (backup age at the fault) | 1h | 2.8 s | **MISSED** | the backup was too old |');
  });

  it('lists each marker with its fate: before the backup restored, after it lost', () => {
    expect(md).toContain('| nova-instance | before-backup 2026-11-21T20:37:06.709Z | nova.instances.uuid | ctl1 | u-1 | restored |');
    expect(md).toContain('| nova-instance | after-backup 2026-11-21T20:37:09.240Z | nova.instances.uuid | ctl1 | u-2 | lost |');
    expect(md).toContain('Written after it: 1 lost, 0 survived.');
  });

  it('names each runbook with version, sha256 and a link to its journal, and its per step and host timings', () => {
    expect(md).toContain(`| recovery | recover-nova | 1.0.0 | ${'f'.repeat(64)} | 20261121-203709-0c36 | succeeded (exit 0) | 2.8 s | [20261121-203709-0c36.jsonl](../../runs/20261121-203709-0c36.jsonl) |`);
    expect(md).toContain('| import-databases | ctl1 | 0 | changed | 640 ms |');
  });

  it('says where the time of a run went, by phase, with its share of the run', () => {
    expect(md).toContain('### recovery: recover-nova (run 20261121-203709-0c36), where the time went');
    expect(md).toMatch(/\| fetch \| 2 \| 700 ms \| 25% \|/);
    expect(md).toMatch(/\| import \| 1 \| 1\.4 s \| 50% \|/);
  });

  it('shows what the fault broke and the timeline', () => {
    expect(md).toContain('- ctl1 db nova: dropped');
    expect(md).toContain('| recovery | 2026-11-21T20:37:09.792Z | 2.8 s | ok | recover-nova 1.0.0: succeeded |');
  });
});
