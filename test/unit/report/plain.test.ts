import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { plainRenderer } from '../../../src/report/plain.js';
import { createStyle } from '../../../src/report/style.js';

const at = '2026-11-21T10:00:00.000Z';
const events: RunEvent[] = [
  {
    at, type: 'run-started', runId: 'r1', runbook: { name: 'recover-nova', version: '1.3.0', sha256: 'a', file: 'f' },
    inventory: { file: 'inventory/prod.yaml', sha256: 'b' }, params: {}, operator: 'ops', check: false, hosts: ['ctl1'],
    steps: [{ id: 'import-db', name: 'Import the database', hosts: ['ctl1'] }],
  },
  { at, type: 'step-started', step: 'import-db', name: 'Import the database', hosts: ['ctl1'] },
  {
    at, type: 'task-finished',
    result: {
      step: 'import-db', host: 'ctl1', status: 'failed', message: 'exit code 1', attempts: 1, durationMs: 12,
      commands: [{ phase: 'apply', command: 'mysql -p******** nova', exitCode: 1, stdoutTail: '', stderrTail: 'ERROR 1049: Unknown database\n', durationMs: 12, timedOut: false, aborted: false }],
    },
  },
  { at, type: 'rollback-started', reason: "step 'import-db' failed on ctl1", changes: 1 },
  { at, type: 'rollback-task', step: 'import-db', host: 'ctl1', outcome: 'failed', message: 'rollback failed: exit code 2', commands: [] },
  { at, type: 'rollback-finished', complete: false, manual: [{ step: 'import-db', host: 'ctl1', reason: 'rollback failed: exit code 2' }] },
  {
    at, type: 'run-finished', outcome: 'rollback-incomplete', exitCode: 3, durationMs: 1500,
    recap: { ctl1: { ok: 0, changed: 0, failed: 1, skipped: 0, ignored: 0, rolledBack: 0, rollbackFailed: 1, wouldChange: 0, unknown: 0 } },
  },
];

describe('plain renderer', () => {
  const lines: string[] = [];
  const render = plainRenderer((...l) => lines.push(...l), createStyle(false));
  for (const e of events) render(e);
  const text = lines.join('\n');

  it('shows host, step, command, exit code and the tail of stderr for a failure', () => {
    expect(text).toContain('STEP [import-db] Import the database');
    expect(text).toContain('failed: [ctl1]');
    expect(text).toContain('command: mysql -p******** nova');
    expect(text).toContain('exit code: 1');
    expect(text).toContain('ERROR 1049: Unknown database');
  });

  it('ends with the recap, what needs a person, and the outcome with its exit code', () => {
    expect(text).toMatch(/ctl1 : ok=0 {2}changed=0 {2}failed=1 {2}skipped=0 {2}rolled_back=0 {2}rollback_failed=1/);
    expect(text).toContain("MANUAL ACTION NEEDED:\n  - ctl1: step 'import-db': rollback failed: exit code 2");
    expect(lines.at(-1)).toBe('failed, and the rollback is INCOMPLETE: manual action needed (exit 3, 1.5s)');
  });

  it('prints no colour codes when colour is off', () => {
    expect(text).not.toContain('\u001b[');
  });
});
