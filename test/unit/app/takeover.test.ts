import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { takeoverNotice } from '../../../src/app/takeover.js';
import type { RunEvent } from '../../../src/engine/events.js';
import { RunJournal } from '../../../src/journal/journal.js';
import type { LockOwner } from '../../../src/lock/owner.js';
import { Redactor } from '../../../src/secrets/redactor.js';

const owner: LockOwner = { runId: 'r-dead', runbook: 'recover-nova', operator: 'ops', controlHost: 'cn1', pid: 4242, since: Date.now() - 60_000 };
const started = { at: '', type: 'run-started', runId: 'r-dead', runbook: { name: 'recover-nova', version: '1.1.0', sha256: '', file: '' }, inventory: { file: '/inv/prod.yaml', sha256: '' }, params: {}, operator: 'ops', check: false, hosts: ['ctl1'], steps: [] } as RunEvent;
const changed = (step: string): RunEvent => ({ at: '', type: 'task-finished', result: { step, host: 'ctl1', status: 'changed', commands: [], attempts: 1, durationMs: 1 } });

async function stateWith(events: RunEvent[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'takeover-'));
  const journal = await RunJournal.open(dir, owner.runId, new Redactor([]));
  for (const e of events) journal.write(e);
  await journal.close();
  return dir;
}

describe('takeoverNotice', () => {
  it('for a run that died mid-way: what it left in place, and the command that resumes it', async () => {
    const dir = await stateWith([started, changed('stop-controller-services'), changed('import-databases')]);
    const notice = await takeoverNotice(owner, dir, '/inv/prod.yaml');
    expect(notice).toMatch(/^took over the stale lock of run r-dead \(recover-nova\) by ops on cn1, pid 4242, since \S+, 60s old: its process is gone; /);
    expect(notice).toContain('run r-dead did not finish and left in place what it changed (stop-controller-services on ctl1, import-databases on ctl1)');
    expect(notice).toContain('`runbook exec --resume r-dead --inventory /inv/prod.yaml` continues it');
  });

  it('for a run that finished, or whose journal is elsewhere: whose lock it was, nothing more', async () => {
    const finished: RunEvent = { at: '', type: 'run-finished', outcome: 'rolled-back', exitCode: 1, recap: {}, durationMs: 1 };
    for (const dir of [await stateWith([started, changed('a'), finished]), await mkdtemp(join(tmpdir(), 'takeover-'))]) {
      const notice = await takeoverNotice(owner, dir, '/inv/prod.yaml');
      expect(notice).toMatch(/its process is gone$/);
    }
  });
});
