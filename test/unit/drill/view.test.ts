import { describe, expect, it } from 'vitest';
import type { CommandIO } from '../../../src/app/io.js';
import { createDrillView } from '../../../src/drill/view.js';
import type { DrillEvent } from '../../../src/drill/events.js';

function io(interactive: boolean, lines: string[]): CommandIO {
  return { cwd: '/', env: {}, out: (...l) => lines.push(...l), err: (...l) => lines.push(...l), interactive, color: false, signal: new AbortController().signal };
}

const events: DrillEvent[] = [
  { type: 'drill-started', id: 'd1', drill: 'nova-db-loss', version: '1.0.0', inventory: '/inv.yaml' },
  { type: 'phase-started', phase: 'backup' },
  { type: 'phase-finished', phase: 'backup', ok: false, durationMs: 2500, detail: ['backup-db 1.0.0: rolled-back, exit 1'] },
  { type: 'phase-skipped', phase: 'writes', reason: 'backup failed' },
  { type: 'drill-finished', outcome: 'failed', exitCode: 1, report: '/s/drills/d1/report.md', lost: 0 },
];

describe('drill view', () => {
  it('draws plain lines off a terminal: phases, what they did, the outcome and where the report is', async () => {
    const lines: string[] = [];
    const view = await createDrillView(io(false, lines), false);
    for (const e of events) view.consume(e);
    await view.done();
    expect(lines).toEqual([
      'DRILL nova-db-loss 1.0.0 on /inv.yaml (drill d1)',
      '', '== backup',
      '   backup-db 1.0.0: rolled-back, exit 1', '== backup: FAILED (2.5 s)',
      '== writes: skipped (backup failed)',
      '', 'DRILL FAILED (exit 1): recovery time not measured, backup age at the fault not measured, 0 write(s) lost',
      'report: /s/drills/d1/report.md',
    ]);
  });

  it('prints one JSON object a line with --json, and runs draw with the same IO', async () => {
    const lines: string[] = [];
    const base = io(true, lines);
    const view = await createDrillView(base, true);
    for (const e of events) view.consume(e);
    expect(lines.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(events.map((e) => e.type));
    expect(view.runIO).toBe(base);
  });
});
