import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFingerprints, labUp, type LabHandle } from '../../lab/api.js';
import { RUNBOOK_DB_USER } from '../../lab/seed/index.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { changedCount, labRuns } from '../support/lab-runs.js';

// verify-backup on the lab: the newest backups are restored into a scratch MariaDB server and
// scratch directories, compared with the backup, and recorded as tested on the storage node;
// the live server and directories are never touched, a backup that does not restore as it was
// stored fails the run and leaves nothing behind, and a second run changes nothing.
let lab: LabHandle;
let work: string;
const repo = fileURLToPath(new URL('../../', import.meta.url));
const CATALOG = '/var/backups/openstack';
/** The hosts backup-files backs up (controller, compute, storage): each has its files backup restore-tested. */
const FILES_HOSTS = ['ctl1', 'cmp1', 'cmp2', 'stor1'];
const { cli, exec, ssh } = labRuns(() => lab, () => work);
/** The newest backup folder of a kind and host in the catalog on stor1. */
const newest = async (kind: string, host: string): Promise<string> => (await ssh('stor1', `ls -d ${CATALOG}/${kind}/${host}/* | tail -n 1`)).trim();
const restoreTest = async (dir: string): Promise<{ backup: string; on: string; run: { id: string } } | null> => {
  const text = await ssh('stor1', `cat ${dir}/restore-test.json 2>/dev/null || true`);
  return text.trim() === '' ? null : JSON.parse(text);
};
/** The lines a run printed for one step, up to the next step. */
const stepBlock = (stdout: string, step: string): string => stdout.split(`STEP [${step}]`)[1]?.split('\nSTEP [')[0] ?? '';
/** The lines a run printed for one step on one host (its first line and the indented ones after it). */
const hostBlock = (stdout: string, step: string, host: string): string =>
  stepBlock(stdout, step).split(/\n(?=\S+: \[)/).find((lines) => new RegExp(`^\\S+: \\[${host}\\]`).test(lines)) ?? '';
/** The task results a run's journal recorded for one step. */
const journalTasks = (runId: string, step: string): Array<{ host: string; status: string; commands: Array<{ phase: string; command: string; stdoutTail: string }> }> =>
  readFileSync(join(work, 'runs', `${runId}.jsonl`), 'utf8').trim().split('\n').map((line) => JSON.parse(line))
    .filter((e) => e.type === 'task-finished' && e.result.step === step).map((e) => e.result);
/** What the scratch space of every run (folders, the scratch server's socket folder) leaves on a host: nothing, when all went well or was rolled back. */
const scratchLeft = (host: string) => ssh(host, 'ls -d /var/tmp/runbook-verify-* 2>/dev/null || true');
/** Asserts that no host has scratch space left. */
const noScratchLeft = async () => expect(await Promise.all(FILES_HOSTS.map(scratchLeft))).toEqual(FILES_HOSTS.map(() => ''));
/** Processes whose command line names a verify run's scratch folder: scratch servers still running. */
const scratchServers = () => ssh('ctl1', "pgrep -af '[r]unbook-verify-db' || true");
const liveDatabases = () => ssh('ctl1', `mysql -N -e 'SHOW DATABASES'`);

/**
 * Rewrites one file of a backup with `edit` (a shell filter on the uncompressed bytes) and makes
 * the manifest's sha256 and size match, so only a restore can tell. Returns the undo.
 */
async function tamper(dir: string, file: string, edit: string): Promise<() => Promise<void>> {
  await ssh('stor1', `cd ${dir} && cp -p ${file} .${file}.orig && cp -p manifest.json .manifest.orig`);
  await ssh('stor1', `cd ${dir} && old=$(sha256sum ${file} | cut -c1-64) && oldsize=$(stat -c %s ${file}) && ` +
    `${file.endsWith('.zst') ? 'zstd -q -d -c' : 'gunzip -c'} ${file} | ${edit} | ${file.endsWith('.zst') ? 'zstd -q -T0 -3' : 'gzip -n'} > .tampered && mv .tampered ${file} && ` +
    `new=$(sha256sum ${file} | cut -c1-64) && newsize=$(stat -c %s ${file}) && ` +
    `sed -i -e "s/$old/$new/" -e "s/\\"size\\": $oldsize,\\(.*\\)$/\\"size\\": $newsize,\\1/" manifest.json`);
  return async () => {
    await ssh('stor1', `cd ${dir} && mv .${file}.orig ${file} && mv .manifest.orig manifest.json`);
  };
}

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-verify-')) });
  work = mkdtempSync(join(tmpdir(), 'runbook-verify-'));
  for (const runbook of ['backup-db', 'backup-files']) {
    const backup = await exec(runbook);
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
  }
});

afterAll(async () => {
  await lab?.down();
});

describe('verify-backup on the lab', () => {
  it('restores the newest backups into scratch space, compares them, records the test, and leaves the live service alone', async () => {
    const before = await lab.fingerprint();
    const databases = await liveDatabases();

    const verify = await exec('verify-backup');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    // Each comparison says what it restored (the probe's output beside its ok).
    expect(stepBlock(verify.stdout, 'databases-equal-backup')).toMatch(/^ok: \[ctl1\] cinder: \d+ tables, restored and equal to the backup's checksums$/m);
    expect(stepBlock(verify.stdout, 'databases-equal-backup')).toMatch(/^ {4}nova_api: \d+ tables, restored and equal to the backup's checksums$/m);
    for (const host of ['ctl1', 'stor1']) {
      expect(hostBlock(verify.stdout, 'files-equal-backup', host)).toMatch(new RegExp(`^ok: \\[${host}\\] etc-cinder: \\d+ entries, restored and equal to the backup$`, 'm'));
      expect(hostBlock(verify.stdout, 'files-equal-backup', host)).toMatch(/^ {4}etc-swift: \d+ entries, restored and equal to the backup$/m);
    }
    // The compute hosts' archives (/etc/nova, /var/lib/nova), each restored on its own host.
    for (const host of ['cmp1', 'cmp2']) {
      expect(hostBlock(verify.stdout, 'files-equal-backup', host)).toMatch(new RegExp(`^ok: \\[${host}\\] etc-nova: \\d+ entries, restored and equal to the backup\n {4}var-lib-nova: \\d+ entries, restored and equal to the backup$`));
    }

    const runId = /\(run ([\w-]+),/.exec(verify.stdout)?.[1];
    expect(runId).toBeDefined();
    for (const [kind, host] of [['db', 'ctl1'], ...FILES_HOSTS.map((h) => ['files', h])] as const) {
      const dir = await newest(kind, host);
      expect(await restoreTest(dir), `${kind} ${host}`).toMatchObject({ backup: dir.split('/').at(-1), on: host, run: { id: runId } });
    }
    // The journal keeps each comparison's account, the compute hosts' too.
    const compared = journalTasks(runId!, 'files-equal-backup');
    expect(compared.map((t) => [t.host, t.status]).sort()).toEqual(FILES_HOSTS.map((h) => [h, 'ok']).sort());
    expect(compared.find((t) => t.host === 'cmp2')?.commands.map((c) => c.stdoutTail).join('')).toMatch(/^etc-nova: \d+ entries, restored and equal to the backup\nvar-lib-nova: \d+ entries/);

    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
    expect(await liveDatabases()).toBe(databases);
    await noScratchLeft();
    expect(await scratchServers()).toBe('');
  });

  it('changes nothing when run again: the backups are already tested', async () => {
    const again = await exec('verify-backup');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(changedCount(again.stdout), again.stdout).toBe(0);
  });

  it('shows when each backup passed its restore test in runbook backups', async () => {
    const listed = await cli('backups', '-i', lab.inventory, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const backups = (JSON.parse(listed.stdout) as { storage: Array<{ backups: Array<{ kind: string; host: string; restore_test: unknown }> }> }).storage[0]?.backups ?? [];
    expect(backups.find((b) => b.kind === 'db' && b.host === 'ctl1')?.restore_test).toMatchObject({ on: 'ctl1' });
    expect(backups.find((b) => b.kind === 'files' && b.host === 'cmp1')?.restore_test).toMatchObject({ on: 'cmp1' });
    const table = await cli('backups', '-i', lab.inventory, '--kind', 'files', '--host', 'cmp1');
    // VERIFIED, ENCRYPTED (not here), then RESTORE TESTED: a time, not "never".
    expect(table.stdout).toMatch(/RESTORE TESTED[\s\S]*files\s+cmp1\s.*\byes\s+no\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+backup-files@/);
    expect(table.stdout).not.toMatch(/\bnever\b/);
  });

  it('fails on a database dump that imports but is not what was backed up, and leaves nothing behind', async () => {
    const dir = await newest('db', 'ctl1');
    const recorded = await restoreTest(dir);
    // Valid SQL, a whole zstd file, checksum made to match: the import succeeds, but the data it
    // leaves is not the data the backup's checksums describe.
    const undo = await tamper(dir, 'nova.sql.zst', `sed '$a UPDATE nova.instances SET hostname = CONCAT(hostname, "-x") LIMIT 1;'`);
    const before = await lab.fingerprint();

    const verify = await exec('verify-backup', '--param', 'retest=true').finally(undo);
    expect(verify.code, verify.stdout + verify.stderr).toBe(1);
    expect(verify.stdout).toMatch(/failed: \[ctl1\]\n.*probe exited 1: backup: {3}table nova instances [0-9a-f]{32} \d+ \d+ \| restored: table nova instances [0-9a-f]{32} \d+ \d+ \| database nova restored from the backup differs from the backup's checksums/);
    expect(verify.stdout).toContain('rolled-back: [ctl1] scratch-database');
    // The record of the earlier, passed test is back; nothing else changed.
    expect(await restoreTest(dir)).toEqual(recorded);
    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
    await noScratchLeft();
    expect(await scratchServers()).toBe('');
  });

  it.each([
    ['the storage node', 'stor1', 'etc-swift'],
    ['a compute host', 'cmp1', 'etc-nova'],
  ])('fails on an archive of %s that does not extract to what it stored, naming it', async (_, host, archive) => {
    const dir = await newest('files', host);
    const recorded = await restoreTest(dir);
    // A second copy of a member appended with other content: extraction keeps the last one,
    // so the restored tree is not the one the archive recorded first. (Made on stor1, where the
    // catalog is.)
    const member = (await ssh('stor1', `tar -tzf ${dir}/${archive}.tar.gz | grep -v '/$' | head -n 1`)).trim();
    const scratch = '/var/tmp/tamper';
    await ssh('stor1', `rm -rf ${scratch} && mkdir -p ${scratch} && tar -xzf ${dir}/${archive}.tar.gz -C ${scratch} ${member} && echo changed >> ${scratch}/${member}`);
    const undo = await tamper(dir, `${archive}.tar.gz`, `{ cat > .raw.tar && tar -r -f .raw.tar -C ${scratch} ${member} && cat .raw.tar && rm .raw.tar; }`);
    await ssh('stor1', `rm -rf ${scratch}`);

    const verify = await exec('verify-backup', '--param', 'retest=true').finally(undo);
    expect(verify.code, verify.stdout + verify.stderr).toBe(1);
    expect(verify.stdout).toMatch(new RegExp(`failed: \\[${host}\\]\\n.*probe exited 1: .*\\| ${archive} restored from the backup differs from the archive`));
    expect(verify.stdout).toContain(`${member}: Size differs`);
    // Only that host's comparison failed, and the record of its earlier passed test is back.
    expect([...verify.stdout.matchAll(/^failed: \[(\S+)\]/gm)].map((m) => m[1])).toEqual([host]);
    expect(await restoreTest(dir)).toEqual(recorded);
    await noScratchLeft();
    expect(await scratchServers()).toBe('');
  });

  it('runs its scratch server on a controller whose inventory name is as long as a DNS label allows', async () => {
    // 63 characters: under the scratch folder, /var/tmp/runbook-verify-db-<run>-<host>/mysql/sock
    // would be 122 bytes, past the 107 a unix socket's path may have.
    const long = 'controller-01-'.padEnd(63, 'x');
    const inventory = join(dirname(lab.inventory), 'long-name.yaml');
    writeFileSync(inventory, readFileSync(lab.inventory, 'utf8').replace(/^(\s+)ctl1:/m, `$1${long}:`));
    const run = (runbook: string, ...args: string[]) => cli('exec', runbook, '-i', inventory, '--state-dir', work, '--limit', long, ...args);
    for (const runbook of ['backup-db', 'backup-files']) {
      const backup = await run(runbook);
      expect(backup.code, backup.stdout + backup.stderr).toBe(0);
    }

    const verify = await run('verify-backup');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(stepBlock(verify.stdout, 'databases-equal-backup')).toMatch(new RegExp(`^ok: \\[${long}\\] cinder: \\d+ tables, restored and equal to the backup's checksums$`, 'm'));
    const runId = /\(run ([\w-]+),/.exec(verify.stdout)?.[1];
    const started = journalTasks(runId!, 'scratch-database')[0]?.commands.find((c) => c.phase === 'apply')?.command ?? '';
    const socket = /--socket=(\S+)/.exec(started)?.[1] ?? '';
    expect(socket).toMatch(/^\/var\/tmp\/runbook-verify-sock-[0-9a-f]{16}\/sock$/);
    expect(await restoreTest(await newest('db', long))).toMatchObject({ on: long, run: { id: runId } });
    await noScratchLeft();
    expect(await scratchServers()).toBe('');
  });

  it('never writes the database password into a journal, and verify-backup needs none (its identity and off-site key are optional)', () => {
    const journals = readdirSync(join(work, 'runs')).map((f) => readFileSync(join(work, 'runs', f), 'utf8'));
    expect(journals.length).toBeGreaterThan(3);
    for (const journal of journals) expect(journal).not.toContain(RUNBOOK_DB_USER.password);
    // Its secrets are optional: the age identity (only encrypted backups need it:
    // encrypted-backups.test.ts) and the off-site copy's key (only a backup the storage node lacks).
    const secrets = loadRunbook(join(repo, 'runbooks', 'verify-backup.yaml'));
    expect(secrets.ok && secrets.value.secrets).toEqual({
      age_identity: { env: 'RUNBOOK_AGE_IDENTITY', optional: true },
      swift_key: { env: 'RUNBOOK_SWIFT_KEY', optional: true },
    });
    expect(readFileSync(join(repo, 'runbooks', 'verify-backup.yaml'), 'utf8')).not.toMatch(/RUNBOOK_DB_PASSWORD|db_password/);
  });
});
