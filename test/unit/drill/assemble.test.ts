import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assembleReport } from '../../../src/drill/assemble.js';
import { emptyState, type DrillState } from '../../../src/drill/context.js';
import { loadDrill } from '../../../src/drill/load.js';
import type { PhaseRecord } from '../../../src/drill/report-model.js';
import type { Inventory } from '../../../src/inventory/types.js';
import { orThrow } from '../../support/results.js';

const drill = orThrow(loadDrill(fileURLToPath(new URL('../../../drills/nova-db-loss.yaml', import.meta.url))));
const inventory = { file: '/inv.yaml', sha256: 'i' } as Inventory;
const phase = (name: PhaseRecord['phase'], ok = true): PhaseRecord => ({ phase: name, started: '', finished: '', durationMs: 1, ok, detail: [] });
const all = (['preflight', 'backup', 'writes', 'fingerprint', 'fault', 'recovery', 'verification'] as const).map((p) => phase(p));

function state(overrides: Partial<DrillState> = {}): DrillState {
  return {
    ...emptyState(),
    backupAt: '2026-11-21T10:00:00.000Z',
    faultAt: '2026-11-21T10:00:03.000Z',
    recoveryStartedAt: '2026-11-21T10:00:04.000Z',
    healthyAt: '2026-11-21T10:00:09.500Z',
    recoveryAsExpected: true,
    checks: [{ check: 'service health', ok: true, detail: '' }],
    markerResults: [
      { write: 'nova-instance', stage: 'before-backup', host: 'ctl1', value: 'a', where: 'w', writtenAt: '', present: true, fate: 'restored' },
      { write: 'nova-instance', stage: 'after-backup', host: 'ctl1', value: 'b', where: 'w', writtenAt: '', present: false, fate: 'lost' },
    ],
    ...overrides,
  };
}

const assemble = (s: DrillState, timeline = all) => assembleReport({ id: 'd', drill, inventory, lab: undefined, state: s }, { operator: 'op', started: '', finished: '', timeline });

describe('assembleReport', () => {
  it('measures RTO from the recovery start to verified health and RPO as the backup age at the fault', () => {
    const report = assemble(state());
    expect(report.measured).toMatchObject({ rtoMs: 5500, backupAgeMs: 3000, lost: 1, restored: 1 });
    expect(report).toMatchObject({ outcome: 'passed', exitCode: 0, verification: { passed: true } });
  });

  it('fails a drill whose recovery did not end as expected, without an RTO', () => {
    const report = assemble(state({ recoveryAsExpected: false }), all.map((p) => (p.phase === 'recovery' ? phase('recovery', false) : p)));
    expect(report).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(report.measured.rtoMs).toBeUndefined();
  });

  it('fails a drill with a failed check', () => {
    expect(assemble(state({ checks: [{ check: 'fingerprint', ok: false, detail: '' }] }))).toMatchObject({ outcome: 'failed', verification: { passed: false } });
  });

  it('fails a drill that stopped before verification, and measures no recovery point', () => {
    const report = assemble(state({ checks: [], markerResults: [] }), all.slice(0, 2).map((p) => (p.phase === 'backup' ? phase('backup', false) : p)));
    expect(report).toMatchObject({ outcome: 'failed', exitCode: 1, objectives: { rpo: { met: false } } });
  });
});
