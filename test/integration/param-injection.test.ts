import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFingerprints, type Fingerprint, type LabHandle, labUp } from '../../lab/api.js';
import { runRunbook } from '../../src/app/start.js';
import type { CommandIO } from '../../src/app/io.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { hostileValues } from '../support/hostile-params.js';
import { labRuns } from '../support/lab-runs.js';
import { orThrow } from '../support/results.js';

// Injection through every param of every shipped runbook, on the real lab: a value hostile to
// sh, mysql, tar or systemctl is refused (exit 2) by `plan` and `exec` before any command runs.
// Each value tries to create its own sentinel file; afterwards none exists on any host or on
// this machine, and the lab's fingerprint is what it was. The cases come from the runbooks'
// param specs, so a new param or runbook is covered without touching this file.
let lab: LabHandle;
let work: string;
let before: Fingerprint;
const repo = fileURLToPath(new URL('../../', import.meta.url));
const { cli } = labRuns(() => lab, () => work);

// Unique to this run: the sentinels of another test run cannot make this one fail or pass.
const TAG = `runbook-pwned-${process.pid}-${Date.now()}`;
const SENTINEL_DIRS = ['/tmp', '/var/tmp'];
let sentinels = 0;
/** A new sentinel path; /tmp is this machine's, /var/tmp each lab host's own. */
const sentinel = (): string => `${SENTINEL_DIRS[sentinels % 2]}/${TAG}-${sentinels++}`;

interface Case {
  runbook: string;
  param: string;
  value: string;
}

const runbooksDir = join(repo, 'runbooks');
const CASES: Case[] = readdirSync(runbooksDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .flatMap((file) => {
    const runbook = orThrow(loadRunbook(join(runbooksDir, file)));
    return Object.keys(runbook.params).flatMap((param) => hostileValues(sentinel()).map((value) => ({ runbook: runbook.name, param, value })));
  });

/** `runbook exec|plan` in this process, as the CLI calls it: hundreds of cases in seconds. */
async function execInProcess(c: Case, check: boolean): Promise<{ code: number; stderr: string }> {
  const stderr: string[] = [];
  const io: CommandIO = {
    cwd: repo,
    env: { RUNBOOK_DB_PASSWORD: 'not-used' },
    out: () => undefined,
    err: (...lines) => stderr.push(...lines),
    interactive: false,
    color: false,
    signal: new AbortController().signal,
  };
  const request = { runbook: c.runbook, inventory: lab.inventory, params: { assignments: [`${c.param}=${c.value}`] }, check, forks: 20, yes: true, json: false, stateDir: work };
  const code = await runRunbook(request, io);
  return { code, stderr: stderr.join('\n') };
}

/** Every sentinel of this file on every lab host and on this machine. */
async function sentinelsFound(): Promise<string[]> {
  const found = SENTINEL_DIRS.flatMap((dir) => readdirSync(dir).filter((f) => f.startsWith(TAG)).map((f) => `local:${dir}/${f}`));
  for (const host of lab.hosts) {
    const listed = await lab.ssh(host.name, `ls -d ${SENTINEL_DIRS.map((d) => `${d}/${TAG}-*`).join(' ')} 2>/dev/null || true`);
    found.push(...listed.stdout.split('\n').filter(Boolean).map((path) => `${host.name}:${path}`));
  }
  return found;
}

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-params-')) });
  // With backups in the catalog, a hostile value that got through would reach the commands
  // (the catalog's produce in check mode too): without, recover-nova would stop before them.
  const backups = mkdtempSync(join(tmpdir(), 'runbook-params-backups-'));
  for (const runbook of ['backup-db', 'backup-files']) {
    const backup = await cli('exec', runbook, '-i', lab.inventory, '--state-dir', backups);
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
  }
  work = mkdtempSync(join(tmpdir(), 'runbook-params-'));
  before = await lab.fingerprint();
}, 300_000);

afterAll(async () => {
  await lab?.down();
});

describe('hostile param values are refused before anything runs, on the lab', () => {
  it('covers every param of every shipped runbook', () => {
    const params = new Set(CASES.map((c) => `${c.runbook}.${c.param}`));
    // The shipped runbooks have 28 params; fewer means the cases were not generated from them.
    expect(params.size).toBeGreaterThanOrEqual(28);
    expect(CASES.length).toBe(params.size * hostileValues('x').length);
  });

  for (const [mode, check] of [['plan', true], ['exec', false]] as const) {
    it(`${mode}: exit 2 for every hostile value of every param, naming the param`, async () => {
      const wrong: string[] = [];
      for (const c of CASES) {
        const { code, stderr } = await execInProcess(c, check);
        const named = stderr.includes(`param '${c.param}'`) && stderr.includes('nothing was run');
        if (code !== 2 || !named) wrong.push(`${c.runbook} ${c.param}=${JSON.stringify(c.value)}: exit ${code}\n${stderr}`);
      }
      expect(wrong).toEqual([]);
    }, 300_000);
  }

  it('recover-nova refuses the reported injection through the real CLI, plan and exec alike, naming value and shape', async () => {
    const touch = sentinel();
    for (const command of ['plan', 'exec']) {
      const result = await cli(command, 'recover-nova', '-i', lab.inventory, '--state-dir', work, '--param', `databases=nova; \\! touch ${touch}`);
      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect(result.stderr).toContain(`param 'databases' item 'nova; \\! touch ${touch}' does not fit format identifier`);
      expect(result.stdout).toBe('');
    }
  });

  it("exec --resume refuses a journal whose params were tampered with, before anything runs", async () => {
    const touch = sentinel();
    const runId = '20261202-000000-beef';
    mkdirSync(join(work, 'runs'), { recursive: true });
    const events = [
      { type: 'run-started', at: '2026-12-02T00:00:00Z', runId, runbook: { name: 'restart-nova', version: '1.1.0', sha256: 'x', file: 'x' }, inventory: { file: lab.inventory, sha256: 'x' }, params: { controller_services: [`nova-api; ${touch}`] }, operator: 'test', check: false, hosts: [], steps: [{ id: 'config-present', name: 'x', hosts: [] }] },
      { type: 'run-finished', at: '2026-12-02T00:00:01Z', outcome: 'rolled-back', exitCode: 1, recap: {}, durationMs: 1 },
    ];
    writeFileSync(join(work, 'runs', `${runId}.jsonl`), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const result = await cli('exec', '--resume', runId, '-i', lab.inventory, '--state-dir', work);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain(`param 'controller_services' item 'nova-api; ${touch}' does not fit format service`);
    expect(result.stderr).toContain("(from the resumed run's params)");
  });

  it('ran nothing: no sentinel on any host or here, the lab unchanged, no journal but the planted one, no lock', async () => {
    expect(await sentinelsFound()).toEqual([]);
    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
    expect(readdirSync(join(work, 'runs'))).toEqual(['20261202-000000-beef.jsonl']);
    expect(existsSync(join(work, 'locks')) ? readdirSync(join(work, 'locks')) : []).toEqual([]);
    for (const host of lab.hosts) expect((await lab.ssh(host.name, 'test -e /var/tmp/runbook.lock && echo locked || true')).stdout.trim(), host.name).toBe('');
  });

  it('would see a sentinel if one were made (the check is not blind)', async () => {
    const [host] = lab.hosts;
    const probe = `/var/tmp/${TAG}-probe`;
    await lab.ssh(host!.name, `touch ${probe}`);
    expect(await sentinelsFound()).toEqual([`${host!.name}:${probe}`]);
    await lab.ssh(host!.name, `rm ${probe}`);
  });
});
