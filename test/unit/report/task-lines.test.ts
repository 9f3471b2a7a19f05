import { describe, expect, it } from 'vitest';
import type { TaskResult } from '../../../src/engine/results.js';
import { taskLines } from '../../../src/report/lines.js';
import { createStyle } from '../../../src/report/style.js';

const result = (status: TaskResult['status'], message?: string): TaskResult => ({ step: 'prune', host: 'stor1', status, commands: [], attempts: 0, durationMs: 1, ...(message === undefined ? {} : { message }) });

describe('task lines', () => {
  it('a would-change task shows what it would do, a message of several lines indented below the head', () => {
    const lines = taskLines(result('would-change', 'would delete 1 of 2 backups in /b:\ndb/ctl1/a  deleted: not kept by keep_last 1\ndb/ctl1/b  kept: newest 1'), createStyle(false));
    expect(lines).toEqual(['would-change: [stor1] would delete 1 of 2 backups in /b:', '    db/ctl1/a  deleted: not kept by keep_last 1', '    db/ctl1/b  kept: newest 1']);
  });

  it('a one-line message stays on the head line', () => {
    expect(taskLines(result('ok', 'already in the desired state'), createStyle(false))).toEqual(['ok: [stor1] already in the desired state']);
  });
});
