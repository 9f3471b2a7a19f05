import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFingerprints, healthy, labUp, type LabHandle } from '../../lab/api.js';
import { RUNBOOK_DB_USER } from '../../lab/seed/index.js';
import { type CliResult, runCli } from '../support/cli.js';
import { changedCount, labRuns } from '../support/lab-runs.js';

// Encryption at rest on the lab (docs/backups.md, "Encryption"): with backup_age_recipients in
// the inventory, backup-db and backup-files encrypt on each source host, so stor1 holds only
// ciphertext; recover-nova without the identity (or with one that is no recipient) fails before
// anything changed; with it, the lab's fingerprint comes back; verify-backup tests the encrypted
// backups; a backup taken before encryption still restores; the identity is never in a journal
// or in the output.
let lab: LabHandle;
let work: string;
/** The lab's inventory with backup_age_recipients: [the public key of IDENTITY]. */
let encrypted: string;
/** An age identity file's contents (its public key is the recipient), and one that is no recipient. */
let identity: string;
let stranger: string;
let recipient: string;
/** Where the test keeps the identities: the lab hosts see the machine's /tmp, so it is left out when they are searched. */
let keys: string;
const repo = fileURLToPath(new URL('../../', import.meta.url));
const CATALOG = '/var/backups/openstack';
const FAILED = 1;
/** A row value of the seeded nova_api.cell_mappings, and a line of ctl1's /etc/nova/nova.conf. */
const ROW_MARKER = 'mysql+pymysql://nova:nova-lab-pass@ctl1/nova_cell0';
const CONFIG_MARKER = 'transport_url = rabbit://openstack:rabbit-lab-pass@ctl1:5672/';
const { cli, ssh } = labRuns(() => lab, () => work);

/** Everything the runs printed, searched for the identity at the end. */
const outputs: string[] = [];

/** `runbook exec` against an inventory, with the lab's database password and `env` added. */
async function execWith(inventory: string, runbook: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  const result = await runCli(['exec', runbook, '-i', inventory, '--state-dir', work, ...args], { cwd: repo, env: { RUNBOOK_DB_PASSWORD: RUNBOOK_DB_USER.password, ...env } });
  outputs.push(result.stdout, result.stderr);
  return result;
}
const ok = (result: CliResult): void => expect(result.code, result.stdout + result.stderr).toBe(0);

const newest = async (kind: string, host: string): Promise<string> => (await ssh('stor1', `ls -d ${CATALOG}/${kind}/${host}/* | tail -n 1`)).trim();
const manifestOf = async (dir: string) => JSON.parse(await ssh('stor1', `cat ${dir}/manifest.json`)) as { id: string; encryption?: { method: string; recipients: string[] } | null; files: Array<{ name: string; plain?: unknown }> };

/**
 * How many of a backup folder's stored files hold `marker`, as they are and uncompressed (zcat
 * -f and zstd -dcf pass what is not theirs through as it is: gzip archives, zstd dumps): a
 * plaintext backup's dumps and archives hold it once uncompressed; ciphertext never does.
 */
async function filesHolding(dir: string, marker: string): Promise<number> {
  const out = await ssh('stor1', `n=0; for f in ${dir}/*; do [ "$(basename "$f")" = manifest.json ] && continue; if grep -q -a -F -e '${marker}' "$f" || { zcat -f "$f"; zstd -dcqf "$f"; } 2> /dev/null | grep -q -a -F -e '${marker}'; then n=$((n+1)); fi; done; echo $n`);
  return Number(out.trim());
}

function ageKeygen(dir: string, name: string): { identity: string; recipient: string } {
  const file = join(dir, name);
  execFileSync('age-keygen', ['-o', file], { stdio: 'ignore' });
  return { identity: readFileSync(file, 'utf8'), recipient: execFileSync('age-keygen', ['-y', file], { encoding: 'utf8' }).trim() };
}

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-crypt-')) });
  work = mkdtempSync(join(tmpdir(), 'runbook-crypt-'));
  keys = mkdtempSync(join(tmpdir(), 'runbook-crypt-keys-'));
  ({ identity, recipient } = ageKeygen(keys, 'identity.txt'));
  stranger = ageKeygen(keys, 'stranger.txt').identity;
  // Beside the lab's own: its key and known_hosts paths are relative to the inventory's folder.
  encrypted = join(dirname(lab.inventory), 'lab-age.yaml');
  const text = readFileSync(lab.inventory, 'utf8').replace(/^( {4}backup_root: .*)$/m, `$1\n    backup_age_recipients: [${recipient}]`);
  expect(text).toContain('backup_age_recipients');
  writeFileSync(encrypted, text);
});

afterAll(async () => {
  await lab?.down();
});

describe('backups encrypted with age on the lab', () => {
  let pristine: Awaited<ReturnType<LabHandle['fingerprint']>>;
  let plainIds: { db: string; files: string };

  it('(control) without recipients the stored dumps and archives hold the plaintext markers', async () => {
    pristine = await lab.fingerprint();
    for (const runbook of ['backup-db', 'backup-files']) ok(await execWith(lab.inventory, runbook, {}));
    const db = await newest('db', 'ctl1');
    const files = await newest('files', 'ctl1');
    plainIds = { db: db.split('/').at(-1) ?? '', files: files.split('/').at(-1) ?? '' };
    expect((await manifestOf(db)).encryption).toBeNull();
    expect(await filesHolding(db, ROW_MARKER)).toBe(1);
    // etc-nova.tar.gz, and the other services' configs that name the same broker.
    expect(await filesHolding(files, CONFIG_MARKER)).toBeGreaterThanOrEqual(1);
  });

  it('with recipients every stored file is ciphertext: no marker, on any host\'s backup; the manifest says for whom', async () => {
    for (const runbook of ['backup-db', 'backup-files']) ok(await execWith(encrypted, runbook, {}));
    const db = await newest('db', 'ctl1');
    expect(db.split('/').at(-1)).not.toBe(plainIds.db);
    const manifest = await manifestOf(db);
    expect(manifest.encryption).toEqual({ method: 'age', recipients: [recipient] });
    expect(manifest.files.every((f) => f.name.endsWith('.age') && f.plain !== undefined)).toBe(true);
    expect(await filesHolding(db, ROW_MARKER)).toBe(0);
    expect(await filesHolding(db, 'CREATE TABLE')).toBe(0);
    for (const host of ['ctl1', 'cmp1', 'cmp2', 'stor1']) {
      const dir = await newest('files', host);
      expect((await manifestOf(dir)).encryption?.recipients).toEqual([recipient]);
      expect(await filesHolding(dir, 'nova')).toBe(0);
    }
    expect(await filesHolding(await newest('files', 'ctl1'), CONFIG_MARKER)).toBe(0);
    // Nothing is left in the source hosts' private folders either.
    expect((await ssh('ctl1', 'ls -A /var/tmp | grep -c "^runbook-" || true')).trim()).toBe('0');
  });

  it('a second run stores nothing: unchanged data is recognised by its plaintext digests', async () => {
    for (const runbook of ['backup-db', 'backup-files']) {
      const again = await execWith(encrypted, runbook, {});
      ok(again);
      expect(changedCount(again.stdout), again.stdout).toBe(0);
    }
  });

  it('runbook backups shows which backups are encrypted', async () => {
    const table = await cli('backups', '-i', encrypted, '--kind', 'db');
    ok(table);
    expect(table.stdout).toMatch(/ENCRYPTED/);
    expect(table.stdout).toMatch(new RegExp(`${plainIds.db} .* no `));
    expect(table.stdout).toMatch(/ age \(1\) /);
    const json = JSON.parse((await cli('backups', '-i', encrypted, '--json', '--kind', 'db')).stdout) as { storage: Array<{ backups: Array<{ id: string; encryption: unknown }> }> };
    const backups = json.storage[0]?.backups ?? [];
    expect(backups.find((b) => b.id === plainIds.db)?.encryption).toBeNull();
    expect(backups.at(-1)?.encryption).toEqual({ method: 'age', recipients: [recipient] });
  });

  let broken: Awaited<ReturnType<LabHandle['fingerprint']>>;

  it('recover-nova without the identity fails before anything changed, naming the backup and its recipients', async () => {
    await lab.fault({ kind: 'drop-database', database: 'nova_api' });
    await lab.fault({ kind: 'corrupt-file', host: 'ctl1', path: '/etc/nova' });
    broken = await lab.fingerprint();
    expect(diffFingerprints(pristine, broken)).not.toEqual([]);
    const recover = await execWith(encrypted, 'recover-nova', {});
    expect(recover.code, recover.stdout + recover.stderr).toBe(FAILED);
    expect(recover.stdout + recover.stderr).toMatch(/is encrypted with age to age1\S+, and no identity was given to decrypt it: set the secret age_identity \(RUNBOOK_AGE_IDENTITY/);
    expect(diffFingerprints(broken, await lab.fingerprint())).toEqual([]);
  });

  it('recover-nova with an identity that is none of the recipients fails the same way, nothing changed', async () => {
    const recover = await execWith(encrypted, 'recover-nova', { RUNBOOK_AGE_IDENTITY: stranger });
    expect(recover.code, recover.stdout + recover.stderr).toBe(FAILED);
    expect(recover.stdout + recover.stderr).toMatch(/is none of the recipients backup \S+ \(db of ctl1\) is encrypted to/);
    expect(diffFingerprints(broken, await lab.fingerprint())).toEqual([]);
  });

  it('recover-nova with the identity brings the fingerprint back, services healthy', async () => {
    const recover = await execWith(encrypted, 'recover-nova', { RUNBOOK_AGE_IDENTITY: identity });
    ok(recover);
    expect(diffFingerprints(pristine, await lab.fingerprint())).toEqual([]);
    expect(healthy(await lab.status())).toBe(true);
  });

  it('recover restores from the encrypted backups too: the dumps found by their .age names, the accounts file decrypted', async () => {
    await lab.fault({ kind: 'drop-database', database: 'keystone' });
    await lab.fault({ kind: 'delete-path', host: 'ctl1', path: '/etc/keystone' });
    const recover = await execWith(encrypted, 'recover', { RUNBOOK_AGE_IDENTITY: identity }, '--param', 'databases=keystone', '--param', 'config_dirs=/etc/keystone', '--param', 'controller_services=keystone');
    ok(recover);
    expect(diffFingerprints(pristine, await lab.fingerprint())).toEqual([]);
    const newestJournal = readdirSync(join(work, 'runs')).filter((f) => f.endsWith('.jsonl')).sort().at(-1) ?? '';
    // Printed only when mysql.users.sql.zst (or .gz) is there to read: a backup without it says so instead.
    expect(readFileSync(join(work, 'runs', newestJournal), 'utf8')).toContain('accounts created: 0');
  });

  it('verify-backup restore-tests the encrypted backups with the identity', async () => {
    const verify = await execWith(encrypted, 'verify-backup', { RUNBOOK_AGE_IDENTITY: identity });
    ok(verify);
    const db = await newest('db', 'ctl1');
    expect((await manifestOf(db)).encryption).not.toBeNull();
    expect(JSON.parse(await ssh('stor1', `cat ${db}/restore-test.json`)).backup).toBe(db.split('/').at(-1));
    // Its scratch space, which held the plaintext, is gone.
    expect((await ssh('ctl1', 'ls -A /var/tmp | grep -c "^runbook-verify" || true')).trim()).toBe('0');
  });

  it('a backup taken before encryption still restores, without an identity', async () => {
    await lab.fault({ kind: 'drop-database', database: 'nova' });
    await lab.fault({ kind: 'delete-path', host: 'ctl1', path: '/etc/nova' });
    const recover = await execWith(encrypted, 'recover-nova', {}, '--param', `backup=${plainIds.db}`, '--param', `config_backup=${plainIds.files}`);
    ok(recover);
    expect(diffFingerprints(pristine, await lab.fingerprint())).toEqual([]);
  });

  it('a drill on an inventory that encrypts is refused without the identity, before anything is touched; with it, it passes', async () => {
    // Lab faults need the lab's own inventory: it encrypts from here on.
    writeFileSync(lab.inventory, readFileSync(encrypted, 'utf8'));
    const drill = async (env: NodeJS.ProcessEnv): Promise<CliResult> => {
      const result = await runCli(['drill', 'nova-db-loss', '-i', lab.inventory, '--state-dir', work], { cwd: repo, env: { RUNBOOK_DB_PASSWORD: RUNBOOK_DB_USER.password, ...env } });
      outputs.push(result.stdout, result.stderr);
      return result;
    };
    const before = await lab.fingerprint();
    const refused = await drill({});
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stdout + refused.stderr).toMatch(/recover-nova: the inventory encrypts the backups of ctl1, cmp1, cmp2, stor1 \(backup_age_recipients\), and the secret age_identity \(the environment variable RUNBOOK_AGE_IDENTITY\) is not set/);
    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
    const passed = await drill({ RUNBOOK_AGE_IDENTITY: identity });
    ok(passed);
    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
    expect((await manifestOf(await newest('db', 'ctl1'))).encryption).not.toBeNull();
  });

  it('the identity is in no journal and in no output', async () => {
    const secretLine = identity.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-')) ?? '';
    const strangerLine = stranger.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-')) ?? '';
    expect(secretLine).not.toBe('');
    const journals = readdirSync(join(work, 'runs')).filter((f) => f.endsWith('.jsonl'));
    expect(journals.length).toBeGreaterThan(5);
    for (const file of journals) {
      const text = readFileSync(join(work, 'runs', file), 'utf8');
      expect(text).not.toContain(secretLine);
      expect(text).not.toContain(strangerLine);
      expect(text).not.toContain('AGE-SECRET-KEY-');
    }
    for (const output of outputs) expect(output).not.toContain('AGE-SECRET-KEY-');
    // And on the hosts: no identity file was left behind anywhere a restore ran.
    // /tmp is the machine's own (shared by the lab's hosts): its top-level files are where mktemp
    // writes; its folders are other programs' (a whole checkout, the lab cache), not a restore's.
    const scan = `{ grep -r -l -s -F --exclude-dir=${basename(keys)} -e '${secretLine}' /var/tmp /root /var/lib/runbook; find /tmp -maxdepth 1 -type f -exec grep -l -s -F -e '${secretLine}' {} +; } || true`;
    for (const host of ['ctl1', 'cmp1']) expect((await ssh(host, scan)).trim()).toBe('');
  });
});
