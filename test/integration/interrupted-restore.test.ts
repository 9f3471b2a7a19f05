import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFingerprints, healthy, labUp, type LabHandle } from '../../lab/api.js';
import { RUNBOOK_DB_USER } from '../../lab/seed/index.js';
import type { RunEvent } from '../../src/engine/events.js';
import { startCli, waitForOutput } from '../support/cli.js';
import { labRuns } from '../support/lab-runs.js';

// recover-nova on the lab, stopped the ways cron, systemd, `timeout`, a closed terminal and a
// crash stop it, in the middle of its import. A session holding a read lock on nova.instances
// (as a service's pooled connection does) keeps the import's DROP DATABASE waiting, so the
// signal always lands mid-import, and the rollback has to wait for the same lock.
let lab: LabHandle;
let work: string;
const repo = fileURLToPath(new URL('../../', import.meta.url));
const { cli, exec, ssh } = labRuns(() => lab, () => work);
const MYSQL = 'mysql --no-defaults -S /run/mysqld/mysqld.sock -u root -N';
const SAFETY = '/var/lib/runbook/safety/recover-nova-ctl1';
const NOVA_SERVICES = ['nova-api', 'nova-scheduler', 'nova-conductor', 'nova-novncproxy'];
// The fast lab's nova units, novncproxy too (the real cloud's defaults leave it out): it stays up
// when nova_api is dropped, so a killed run has always stopped one.
const NOVA_PARAM = ['--param', `controller_services=${NOVA_SERVICES.join(',')}`];

let seeded: Awaited<ReturnType<LabHandle['fingerprint']>>;

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-interrupt-')) });
  work = mkdtempSync(join(tmpdir(), 'runbook-interrupt-'));
  seeded = await lab.fingerprint();
  for (const runbook of ['backup-db', 'backup-files']) {
    const backup = await exec(runbook);
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
  }
});

afterAll(async () => {
  await lab?.down();
});

/** Holds a read lock on nova.instances from a session of its own until {@link releaseTables}. */
async function holdNovaTables(): Promise<void> {
  await ssh('ctl1', `setsid sh -c '${MYSQL} -e "LOCK TABLES nova.instances READ; SELECT SLEEP(600)"' >/dev/null 2>&1 </dev/null &`);
  await until(async () => (await sessions("info LIKE 'SELECT SLEEP(600)%'")) === 1, 'the lock-holding session');
}

async function releaseTables(): Promise<void> {
  await ssh('ctl1', `for id in $(${MYSQL} -e "SELECT id FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(600)%'"); do ${MYSQL} -e "KILL $id"; done`);
}

/** Database sessions whose statement matches a WHERE condition. */
async function sessions(where: string): Promise<number> {
  return Number((await ssh('ctl1', `${MYSQL} -e "SELECT COUNT(*) FROM information_schema.processlist WHERE ${where}"`)).trim());
}

async function until(ready: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts recover-nova and resolves once its import of nova waits on the held lock. */
async function recoverUntilImportWaits() {
  const run = startCli(['exec', 'recover-nova', '-i', lab.inventory, '--state-dir', work, ...NOVA_PARAM], {
    cwd: repo,
    env: { RUNBOOK_DB_PASSWORD: RUNBOOK_DB_USER.password },
  });
  await waitForOutput(run.output, 'STEP [import-databases]', 60_000);
  await until(async () => (await sessions("info LIKE 'DROP DATABASE IF EXISTS %nova%'")) === 1, 'the import to wait on the lock');
  return run;
}

function journals(): string[] {
  return readdirSync(join(work, 'runs')).filter((f) => f.endsWith('.jsonl'));
}

function journal(file: string): RunEvent[] {
  return readFileSync(join(work, 'runs', file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RunEvent);
}

/** The journal a run added, found by comparing listings (a killed run never prints its path). */
function newJournal(before: readonly string[]): { id: string; events: RunEvent[] } {
  const added = journals().filter((f) => !before.includes(f));
  expect(added).toHaveLength(1);
  return { id: added[0]!.replace(/\.jsonl$/, ''), events: journal(added[0]!) };
}

async function activeNovaServices(): Promise<string> {
  const result = await lab.ssh('ctl1', `systemctl is-active ${NOVA_SERVICES.join(' ')}`);
  return result.stdout.trim().split('\n').join(' ');
}

async function locksLeft(): Promise<string[]> {
  const local = readdirSync(join(work, 'locks')).filter((f) => f.endsWith('.lock'));
  const remote = (await lab.ssh('ctl1', 'test -e /var/tmp/runbook.lock && echo /var/tmp/runbook.lock on ctl1')).stdout.trim();
  return [...local, ...(remote ? [remote] : [])];
}

describe('an interrupted restore rolls back and releases its locks', () => {
  it.each(['SIGTERM', 'SIGHUP'] as const)('%s mid-import: exit 130, the state it found, services up, no locks, no process, the journal closed', async (signal) => {
    await ssh('ctl1', `${MYSQL} -e "DROP DATABASE IF EXISTS nova_api"`);
    const found = await lab.fingerprint();
    const servicesFound = await activeNovaServices();
    const before = journals();
    await holdNovaTables();
    const run = await recoverUntilImportWaits();

    run.child.kill(signal);
    await waitForOutput(run.output, `interrupted by ${signal}`);
    await waitForOutput(run.output, `ROLLBACK (interrupted by ${signal})`);
    // A second signal while the rollback waits on the same lock must not cut it short.
    run.child.kill('SIGTERM');
    await waitForOutput(run.output, 'the rollback is in progress and must finish');
    await releaseTables();
    const result = await run.done;

    expect(result.code, result.stdout + result.stderr).toBe(130);
    expect(result.stdout).toContain(`interrupted by ${signal}, and every change was rolled back (exit 130`);
    expect(diffFingerprints(found, await lab.fingerprint())).toEqual([]);
    // Started again: as they were (nova-api waits for its nova_api database, which is still gone).
    expect(await activeNovaServices()).toBe(servicesFound);
    expect(servicesFound).toMatch(/^(active|activating) /);
    expect(await locksLeft()).toEqual([]);
    expect((await lab.ssh('ctl1', 'pgrep -af "[r]unbook-recover|[m]ysql --defaults-extra-file" || true')).stdout.trim()).toBe('');
    expect((await lab.ssh('ctl1', `test -e ${SAFETY} && echo left || echo removed`)).stdout.trim()).toBe('removed');
    // The fetched backup and the work folder it went into are gone with the rollback.
    expect((await ssh('ctl1', 'ls -d /var/tmp/runbook-recover-* 2>/dev/null || true')).trim()).toBe('');
    const { events } = newJournal(before);
    expect(events.find((e) => e.type === 'rollback-started')).toMatchObject({ reason: `interrupted by ${signal}` });
    expect(events.filter((e) => e.type === 'rollback-task').map((e) => (e as { step: string }).step)).toContain('import-databases');
    expect(events.at(-2)).toMatchObject({ type: 'rollback-finished', complete: true });
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', outcome: 'interrupted', exitCode: 130, interruptedBy: signal });
  });
});

describe('an interrupted backup', () => {
  it('SIGTERM mid-dump: exit 130, no dump left on the controller, no unfinished folder in the catalog', async () => {
    // A write lock makes mysqldump wait on nova.instances: the dump is under way, not finished.
    const catalogBefore = await ssh('stor1', 'find /var/backups/openstack | sort');
    const tmpBefore = await ssh('ctl1', 'find /var/tmp -mindepth 1 | sort');
    await ssh('ctl1', `setsid sh -c '${MYSQL} -e "LOCK TABLES nova.instances WRITE; SELECT SLEEP(600)"' >/dev/null 2>&1 </dev/null &`);
    await until(async () => (await sessions("info LIKE 'SELECT SLEEP(600)%'")) === 1, 'the lock-holding session');
    const run = startCli(['exec', 'backup-db', '-i', lab.inventory, '--state-dir', work], { cwd: repo, env: { RUNBOOK_DB_PASSWORD: RUNBOOK_DB_USER.password } });
    // backup-db 1.3.0 first waits for the moment its dumps and checksums share (BACKUP STAGE), which
    // the write lock holds off too; before it, mysqldump waited on the table.
    await until(async () => (await sessions("state LIKE 'Waiting for table metadata lock' OR info LIKE 'BACKUP STAGE%'")) >= 1, 'the dump to wait on the lock');
    expect(await ssh('ctl1', 'find /var/tmp -mindepth 1 | sort')).not.toBe(tmpBefore);

    run.child.kill('SIGTERM');
    const result = await run.done;
    await releaseTables();

    expect(result.code, result.stdout + result.stderr).toBe(130);
    expect(await ssh('ctl1', 'find /var/tmp -mindepth 1 | sort')).toBe(tmpBefore);
    expect(await ssh('stor1', 'find /var/backups/openstack | sort')).toBe(catalogBefore);
    expect(await locksLeft()).toEqual([]);
  });
});

describe('a restore killed with SIGKILL', () => {
  /** Kills recover-nova mid-import, then does what its import would have done next: drop nova. */
  async function killMidImport(): Promise<{ id: string; found: Awaited<ReturnType<LabHandle['fingerprint']>> }> {
    await ssh('ctl1', `${MYSQL} -e "DROP DATABASE IF EXISTS nova_api"`);
    const found = await lab.fingerprint();
    const before = journals();
    await holdNovaTables();
    const run = await recoverUntilImportWaits();
    run.child.kill('SIGKILL');
    await run.done;
    await releaseTables();
    await ssh('ctl1', `${MYSQL} -e "DROP DATABASE IF EXISTS nova"`);
    const { id } = newJournal(before);
    // What a crash leaves: both locks, the services stopped, the safety copy of the state it found.
    expect((await locksLeft()).length).toBe(2);
    expect(await activeNovaServices()).not.toContain('active active active active');
    expect((await ssh('ctl1', `cat ${SAFETY}/complete`)).trim()).toBe(id);
    return { id, found };
  }

  it('--resume takes over the stale locks, saying whose they were, and finishes the restore with the registers of the steps it skips', async () => {
    const { id } = await killMidImport();
    const before = journals();
    const resumed = await cli('exec', '--resume', id, '-i', lab.inventory, '--state-dir', work);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`took over the stale lock of run ${id} \\(recover-nova\\) by \\S+ on \\S+, pid \\d+, since \\S+, \\d+s old: its process is gone`));
    expect(resumed.stdout).toContain(`ctl1: took over the stale lock of run ${id}`);
    expect(resumed.stdout).toContain('STEP [find-db-backup] skipped: before --start-at import-databases');
    expect(diffFingerprints(seeded, await lab.fingerprint())).toEqual([]);
    expect(healthy(await lab.status())).toBe(true);
    expect(await locksLeft()).toEqual([]);
    expect((await lab.ssh('ctl1', `test -e ${SAFETY} && echo left || echo removed`)).stdout.trim()).toBe('removed');
    const { events } = newJournal(before);
    expect(events[0]).toMatchObject({ type: 'run-started', resumes: { runId: id, origin: id } });
    expect(events.filter((e) => e.type === 'registered').map((e) => (e as { name: string }).name)).toEqual(expect.arrayContaining(['db_backup', 'config_backup']));
  });

  it('a plain re-run keeps the safety copy the killed run made, and rolls back to it, not to the half-imported state', async () => {
    const { id, found } = await killMidImport();
    // The re-run's last import (nova_cell0) fails: a dump that breaks half-way, its checksum and size made to match.
    const dir = (await ssh('stor1', 'ls -d /var/backups/openstack/db/ctl1/* | tail -n 1')).trim();
    const original = await ssh('stor1', `base64 -w0 ${dir}/nova_cell0.sql.zst; echo; base64 -w0 ${dir}/manifest.json`);
    await ssh('stor1', `cd ${dir} && { zstd -q -d -c nova_cell0.sql.zst | head -n 40; echo 'THIS IS NOT SQL;'; } | zstd -q > broken.zst && mv broken.zst nova_cell0.sql.zst && ` +
      `python3 -c 'import hashlib,json,os; m=json.load(open("manifest.json")); f=[f for f in m["files"] if f["name"]=="nova_cell0.sql.zst"][0]; ` +
      `f["sha256"]=hashlib.sha256(open("nova_cell0.sql.zst","rb").read()).hexdigest(); f["size"]=os.path.getsize("nova_cell0.sql.zst"); json.dump(m,open("manifest.json","w"),indent=2)'`);

    const rerun = await exec('recover-nova', ...NOVA_PARAM);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(1);
    expect(rerun.stdout).toMatch(/STEP \[safety-copy\][^]*?ok: \[ctl1\] already in the desired state/);
    expect(rerun.stdout).toContain(`took over the stale lock of run ${id} (recover-nova)`);
    expect(rerun.stdout).toContain(`run ${id} did not finish and left in place what it changed (fetch-db-backup on ctl1, safety-copy on ctl1, stop-controller-services on ctl1)`);
    expect(rerun.stdout).toContain('rolled-back: [ctl1] import-databases');
    // nova comes back from the killed run's safety copy: the state before either run, not the dropped one.
    expect(diffFingerprints(found, await lab.fingerprint())).toEqual([]);
    expect((await ssh('ctl1', `cat ${SAFETY}/complete`)).trim()).toBe(id);

    const [gz = '', manifest = ''] = original.trim().split('\n');
    await ssh('stor1', `cd ${dir} && echo ${gz} | base64 -d > nova_cell0.sql.zst && echo ${manifest} | base64 -d > manifest.json`);
    const recovered = await exec('recover-nova', ...NOVA_PARAM);
    expect(recovered.code, recovered.stdout + recovered.stderr).toBe(0);
    expect(diffFingerprints(seeded, await lab.fingerprint())).toEqual([]);
    expect((await lab.ssh('ctl1', `test -e ${SAFETY} && echo left || echo removed`)).stdout.trim()).toBe('removed');
    expect(healthy(await lab.status())).toBe(true);
  });
});
