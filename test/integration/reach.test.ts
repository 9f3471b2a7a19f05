import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFingerprints, type Fingerprint, labUp, type LabHandle } from '../../lab/api.js';
import type { CliResult } from '../support/cli.js';
import { labRuns } from '../support/lab-runs.js';

// Every host a run can touch, the storage host that the catalog module reaches included, is
// connected and its key verified before the first command on any host: with stor1 down or
// re-keyed, recover-nova and backup-db stop with exit 4 and nothing ran anywhere, not even the
// remote lock on the controller.
let lab: LabHandle;
let work: string;
const { cli, exec, ssh } = labRuns(() => lab, () => work);
const RUNBOOKS = ['recover-nova', 'backup-db'];

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-reach-')) });
  work = mkdtempSync(join(tmpdir(), 'runbook-reach-'));
});

afterAll(async () => {
  await lab?.down();
});

/** What a command on the controller would leave behind: the lab's fingerprint and /var/tmp's mtime (the lock is a mkdir there). */
async function controllerState(): Promise<{ fingerprint: Fingerprint; varTmp: string }> {
  return { fingerprint: await lab.fingerprint(), varTmp: (await ssh('ctl1', 'stat -c %y /var/tmp')).trim() };
}

/** The journal's event types: a run stopped before its first command has no step or task in it. */
function journalEvents(result: CliResult): string[] {
  const line = result.stderr.split('\n').find((l) => l.startsWith('journal: '));
  expect(line, result.stdout + result.stderr).toBeDefined();
  return readFileSync(line!.slice('journal: '.length), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
}

async function expectNothingRan(result: CliResult, before: Awaited<ReturnType<typeof controllerState>>): Promise<void> {
  expect(result.code, result.stdout + result.stderr).toBe(4);
  expect(journalEvents(result)).toEqual(['run-started', 'hosts-unreachable', 'run-finished']);
  const after = await controllerState();
  expect(after.varTmp, 'the remote lock was taken and released in /var/tmp on ctl1').toBe(before.varTmp);
  expect(diffFingerprints(before.fingerprint, after.fingerprint)).toEqual([]);
  expect((await lab.ssh('ctl1', 'test -e /var/tmp/runbook.lock')).code).not.toBe(0);
}

describe('the storage host is reached before anything runs', () => {
  it('with stor1 down: exit 4, stor1 named, nothing ran on the controller', async () => {
    const before = await controllerState();
    await lab.fault({ kind: 'stop-sshd', host: 'stor1' });
    try {
      for (const runbook of RUNBOOKS) {
        const result = await exec(runbook);
        expect(result.stdout + result.stderr).toMatch(/stor1.*(ECONNREFUSED|refused)/);
        await expectNothingRan(result, before);
      }
    } finally {
      await lab.heal({ kind: 'stop-sshd', host: 'stor1' });
    }
  });

  it('with stor1 presenting another key: refused before any command on any host, exit 4', async () => {
    const before = await controllerState();
    // stor1's known_hosts entry holds ctl1's key: what a man in the middle, or a reinstalled host, presents.
    const knownHosts = readFileSync(lab.knownHosts, 'utf8').trim().split('\n');
    const stor1 = lab.host('stor1');
    const name = `[${stor1.address}]:${stor1.port}`;
    const ctl1 = lab.host('ctl1');
    const ctl1Key = knownHosts.find((l) => l.startsWith(`[${ctl1.address}]:${ctl1.port} `))!.split(' ').slice(1).join(' ');
    const forged = join(dirname(lab.inventory), 'known_hosts_forged');
    writeFileSync(forged, `${knownHosts.map((l) => (l.startsWith(`${name} `) ? `${name} ${ctl1Key}` : l)).join('\n')}\n`);
    const inventory = join(dirname(lab.inventory), 'rekeyed.yaml');
    writeFileSync(inventory, readFileSync(lab.inventory, 'utf8').replace(/runbook_known_hosts: .*/, `runbook_known_hosts: ${forged}`));

    for (const runbook of RUNBOOKS) {
      const result = await cli('exec', runbook, '-i', inventory, '--state-dir', work);
      expect(result.stdout + result.stderr).toMatch(/stor1.*host key/i);
      await expectNothingRan(result, before);
    }
  });

  it('with stor1 back and its key known, the same runbook runs, and its lock shows in /var/tmp', async () => {
    // The control for the assertions above: a run that starts does leave its trace there.
    const before = await controllerState();
    const result = await exec('backup-db');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(journalEvents(result)).toContain('task-finished');
    expect((await controllerState()).varTmp).not.toBe(before.varTmp);
  });
});
