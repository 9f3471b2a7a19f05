import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { RunJournal, newRunId } from '../../../src/journal/journal.js';
import { changesLeftInPlace, listRuns, readRun, registersByHost, resumePoint } from '../../../src/journal/reader.js';
import { MASK, Redactor } from '../../../src/secrets/redactor.js';

const started: RunEvent = {
  at: '2026-11-21T10:00:00.000Z',
  type: 'run-started',
  runId: 'r1',
  runbook: { name: 'recover-nova', version: '1.0.0', sha256: 'a'.repeat(64), file: '/x.yaml' },
  inventory: { file: '/inv.yaml', sha256: 'b'.repeat(64) },
  params: { backup: 'latest' },
  operator: 'ops',
  check: false,
  hosts: ['ctl1', 'cmp1'],
  steps: [
    { id: 'stop', name: 'stop', hosts: ['ctl1', 'cmp1'] },
    { id: 'import', name: 'import', hosts: ['ctl1'] },
    { id: 'start', name: 'start', hosts: ['ctl1', 'cmp1'] },
  ],
};
const registered = (step: string, host: string, value: unknown): RunEvent => ({ at: '', type: 'registered', step, host, name: 'stopped', value });
const task = (step: string, host: string, status: 'ok' | 'changed' | 'failed'): RunEvent => ({
  at: '', type: 'task-finished', result: { step, host, status, commands: [], attempts: 1, durationMs: 1 },
});

describe('RunJournal', () => {
  it('appends redacted JSON lines that read back in order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'journal-'));
    const journal = await RunJournal.open(dir, 'r1', new Redactor(['hunter22']));
    journal.write(started);
    journal.write({ at: '', type: 'notice', level: 'info', message: 'password is hunter22' });
    await journal.close();
    const text = await readFile(journal.path, 'utf8');
    expect(text).not.toContain('hunter22');
    const events = await readRun(dir, 'r1');
    expect(events.map((e) => e.type)).toEqual(['run-started', 'notice']);
    expect((await listRuns(dir))[0]).toMatchObject({ runId: 'r1', runbook: 'recover-nova', outcome: 'running' });
  });

  it('drops a torn last line left by a process that died mid-write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'journal-'));
    const journal = await RunJournal.open(dir, 'r2', new Redactor([]));
    journal.write(started);
    await journal.close();
    await appendFile(journal.path, '{"type":"task-fin');
    expect(await readRun(dir, 'r2')).toHaveLength(1);
  });

  it('makes sortable run ids', () => {
    expect(newRunId(new Date('2026-11-21T18:30:12Z'), () => 0.5)).toBe('20261121-183012-8000');
  });
});

describe('resumePoint', () => {
  it('starts at the first step not finished on every host', () => {
    const events = [started, task('stop', 'ctl1', 'changed'), task('stop', 'cmp1', 'ok'), task('import', 'ctl1', 'failed')];
    expect(resumePoint(events)).toEqual({ runbook: 'recover-nova', params: { backup: 'latest' }, startAt: 'import', origin: 'r1', registered: [] });
  });

  it('hands on what the skipped steps registered, per host, and not what the resumed step registered', () => {
    const events = [
      started,
      task('stop', 'ctl1', 'changed'), registered('stop', 'ctl1', { stdout: 'stopped' }),
      task('stop', 'cmp1', 'ok'), registered('stop', 'cmp1', { stdout: 'was stopped' }),
      task('import', 'ctl1', 'failed'), registered('import', 'ctl1', { rc: 1 }),
    ];
    const point = resumePoint(events)!;
    expect(point.startAt).toBe('import');
    expect(registersByHost(point.registered)).toEqual({ ctl1: { stopped: { stdout: 'stopped' } }, cmp1: { stopped: { stdout: 'was stopped' } } });
  });

  it('resumes at the step whose register the journal holds with a secret masked, not after it', () => {
    const events = [started, task('stop', 'ctl1', 'changed'), task('stop', 'cmp1', 'ok'), registered('stop', 'ctl1', { stdout: `password=${MASK}` }), task('import', 'ctl1', 'failed')];
    const point = resumePoint(events)!;
    expect(point.startAt).toBe('stop');
    expect(point.registered).toEqual([]);
  });

  it('keeps the first run of a chain of resumes as the origin, whose id the templates see', () => {
    const again: RunEvent = { ...started, runId: 'r2', resumes: { runId: 'r1', origin: 'r1' } } as RunEvent;
    expect(resumePoint([again, task('stop', 'ctl1', 'failed')])?.origin).toBe('r1');
    expect(resumePoint([started, task('stop', 'ctl1', 'failed')])?.origin).toBe('r1');
  });

  it('starts over when the run was rolled back', () => {
    const finished: RunEvent = { at: '', type: 'run-finished', outcome: 'rolled-back', exitCode: 1, recap: {}, durationMs: 1 };
    expect(resumePoint([started, task('stop', 'ctl1', 'changed'), finished])?.startAt).toBe('stop');
  });

  it('has nothing to resume when every step finished', () => {
    const events = [started, ...['ctl1', 'cmp1'].flatMap((h) => [task('stop', h, 'ok'), task('start', h, 'ok')]), task('import', 'ctl1', 'ok')];
    expect(resumePoint(events)?.startAt).toBeUndefined();
  });
});

describe('changesLeftInPlace', () => {
  it('lists each step and host that changed and was not rolled back, once', () => {
    const undone: RunEvent = { at: '', type: 'rollback-task', step: 'import', host: 'ctl1', outcome: 'rolled-back', commands: [] };
    const events = [started, task('stop', 'ctl1', 'changed'), task('stop', 'ctl1', 'changed'), task('stop', 'cmp1', 'ok'), task('import', 'ctl1', 'changed'), undone];
    expect(changesLeftInPlace(events)).toEqual(['stop on ctl1']);
  });
});
