import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { phasesOf, runRecordOf } from '../../../src/drill/timings.js';

// Where a recovery's time went (issue #17): the steps' phases from the journal, each step's
// wall time (its slowest host; loop items one after another) added up per phase.
const task = (step: string, host: string, durationMs: number, itemIndex?: number) => ({ step, host, status: 'changed', durationMs, ...(itemIndex === undefined ? {} : { itemIndex }) });

describe('phasesOf', () => {
  it('adds up per phase each step\'s slowest host, its loop items one after another', () => {
    const steps = [task('fetch-db', 'ctl1', 300), task('fetch-files', 'ctl1', 100), task('fetch-files', 'cmp1', 250), task('import', 'ctl1', 1000, 0), task('import', 'ctl1', 500, 1), task('start', 'ctl1', 40)];
    const phaseOf = new Map([['fetch-db', 'fetch'], ['fetch-files', 'fetch'], ['import', 'import']]);
    expect(phasesOf(steps, phaseOf)).toEqual([
      { phase: 'fetch', durationMs: 550, steps: 2 },
      { phase: 'import', durationMs: 1500, steps: 1 },
      { phase: 'other', durationMs: 40, steps: 1 },
    ]);
  });

  it('gives none when no step has a phase', () => {
    expect(phasesOf([task('a', 'h', 5)], new Map())).toEqual([]);
  });
});

describe('runRecordOf', () => {
  it('reads the phases from the steps\' step-started events', () => {
    const events = [
      { type: 'run-started', runId: 'r1', runbook: { name: 'recover', version: '1.3.0', sha256: 'f' } },
      { type: 'step-started', step: 'fetch', name: 'Fetch', hosts: ['ctl1'], phase: 'fetch' },
      { type: 'task-finished', result: task('fetch', 'ctl1', 200) },
      { type: 'step-started', step: 'import', name: 'Import', hosts: ['ctl1'], phase: 'import' },
      { type: 'task-finished', result: task('import', 'ctl1', 900) },
      { type: 'run-finished', outcome: 'succeeded' },
    ] as unknown as RunEvent[];
    const record = runRecordOf('recovery', { runbook: 'recover', params: {} } as never, events, 0, { started: '2026-12-02T10:00:00.000Z', finished: '2026-12-02T10:00:01.500Z' });
    expect(record.phases).toEqual([{ phase: 'fetch', durationMs: 200, steps: 1 }, { phase: 'import', durationMs: 900, steps: 1 }]);
  });
});
