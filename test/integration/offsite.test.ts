import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFingerprints, labUp, type LabHandle } from '../../lab/api.js';
import { type MadeUpBackup, daysAgo, pathOf, writeCatalogScript } from '../support/catalog.js';
import { type CliResult, runCli } from '../support/cli.js';

// The off-site copy in the lab's real Swift (site2, lab up --offsite): copy-offsite puts every
// newest backup there as the storage node has it, a replaced object is caught on the way back,
// recover-nova restores from Swift alone when the storage node's catalog is gone, rotate prunes
// the off-site copy by its own policy, and the key reaches neither output nor journal.
const root = fileURLToPath(new URL('../../', import.meta.url));
const ROOT = '/var/backups/openstack';
const CONTAINER = 'runbook-backups';
let lab: LabHandle;
let state: string;
let key: string;

const env = (): NodeJS.ProcessEnv => ({ RUNBOOK_DB_PASSWORD: 'runbook-lab-pass', RUNBOOK_SWIFT_KEY: key });
const outputs: CliResult[] = [];
async function cli(...args: string[]): Promise<CliResult> {
  const stateDir = args[0] === 'exec' ? ['--state-dir', state] : [];
  const result = await runCli([...args, '-i', lab.inventory, ...stateDir], { cwd: root, env: env() });
  outputs.push(result);
  return result;
}

/** Swift's own client on stor1, the key in its environment (ST_KEY), never on a command line. */
async function swift(command: string): Promise<string> {
  const script = `export ST_AUTH=http://site2:8080/auth/v1.0 ST_USER=runbook:backup; ST_KEY=$(cat); export ST_KEY; ${command}`;
  const result = await lab.ssh('stor1', script, key);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

const objects = async (): Promise<string[]> => (await swift(`swift list ${CONTAINER}`)).trim().split('\n').filter(Boolean).sort();

/** What Swift says of objects (HEAD through python3-swiftclient, one process): size, etag, sha256 metadata. */
async function stats(names: readonly string[]): Promise<Array<{ size: number; etag: string; sha256: string }>> {
  const python = [
    'import json, sys',
    'from swiftclient.client import Connection',
    'c = Connection(authurl="http://site2:8080/auth/v1.0", user="runbook:backup", key=sys.stdin.readline().strip())',
    `print(json.dumps([c.head_object("${CONTAINER}", n) for n in sys.argv[1:]]))`,
  ].join('\n');
  const result = await lab.ssh('stor1', `python3 -c '${python}' ${names.map((n) => `'${n}'`).join(' ')}`, key);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as Array<Record<string, string>>).map((h) => ({ size: Number(h['content-length']), etag: h.etag ?? '', sha256: h['x-object-meta-sha256'] ?? '' }));
}

const stat = async (name: string): Promise<{ size: number; etag: string; sha256: string }> => (await stats([name]))[0]!;

const newest = async (kind: string, host: string): Promise<string> =>
  (await lab.ssh('stor1', `ls -d ${ROOT}/${kind}/${host}/* | tail -n 1`)).stdout.trim();

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-offsite-')), offsite: true });
  state = mkdtempSync(join(tmpdir(), 'runbook-offsite-'));
  key = readFileSync(join(lab.config.dir, 'swift', 'key'), 'utf8').trim();
  for (const runbook of ['backup-db', 'backup-files']) {
    const taken = await cli('exec', runbook);
    expect(taken.code, taken.stdout + taken.stderr).toBe(0);
  }
});

afterAll(async () => {
  await lab?.down();
});

describe('the off-site copy in the lab Swift', () => {
  it('lab status shows site2 with its Swift services, and the inventory declares it', async () => {
    const site = (await lab.status()).find((h) => h.name === 'site2');
    expect(site?.services.map((s) => [s.name, s.state])).toEqual([
      ['memcached', 'active'], ['swift-account', 'active'], ['swift-container', 'active'], ['swift-object', 'active'], ['swift-proxy', 'active'],
    ]);
    const inventory = readFileSync(lab.inventory, 'utf8');
    expect(inventory).toContain('offsite_swift_auth_url: http://site2:8080/auth/v1.0\n    offsite_swift_user: "runbook:backup"\n    offsite_swift_container: runbook-backups\n');
    expect(inventory).not.toContain(key);
  });

  it('copy-offsite puts every file and manifest in Swift as the storage node has them (size, md5 as ETag, sha256), and a second run changes nothing', async () => {
    const copied = await cli('exec', 'copy-offsite');
    expect(copied.code, copied.stdout + copied.stderr).toBe(0);
    expect(copied.stdout).toMatch(/ctl1 +: ok=0 {2}changed=2/);
    for (const [kind, host] of [['db', 'ctl1'], ['files', 'ctl1'], ['files', 'cmp1'], ['files', 'stor1']] as const) {
      const dir = await newest(kind, host);
      const manifest = JSON.parse((await lab.ssh('stor1', `cat ${dir}/manifest.json`)).stdout) as { id: string; files: Array<{ name: string; size: number; sha256: string }> };
      const md5s = (await lab.ssh('stor1', `cd ${dir} && md5sum ${manifest.files.map((f) => f.name).join(' ')}`)).stdout.trim().split('\n').map((l) => l.split(' ')[0]);
      const there = await stats(manifest.files.map((f) => `${kind}/${host}/${manifest.id}/${f.name}`));
      expect(there).toEqual(manifest.files.map((f, i) => ({ size: f.size, etag: md5s[i], sha256: f.sha256 })));
      // The manifest, byte for byte.
      const bytes = await swift(`swift download ${CONTAINER} '${kind}/${host}/${manifest.id}/manifest.json' -o - | sha256sum`);
      expect(bytes).toBe((await lab.ssh('stor1', `sha256sum < ${dir}/manifest.json`)).stdout);
    }
    const again = await cli('exec', 'copy-offsite');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/ctl1 +: ok=2 {2}changed=0/);
    expect(again.stdout).toContain(`is in swift:${CONTAINER}`);
  });

  it('runbook backups lists both copies; --check wants the off-site copy fresh too', async () => {
    const listed = await cli('backups', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const json = JSON.parse(listed.stdout) as { storage: Array<{ host: string; location: string; backups: Array<{ kind: string; host: string }> }> };
    expect(json.storage.map((s) => [s.host, s.location])).toEqual([['stor1', 'storage'], [`swift:${CONTAINER}`, 'offsite']]);
    expect(json.storage[1]!.backups.map((b) => `${b.kind}/${b.host}`).sort()).toEqual(['db/ctl1', 'files/cmp1', 'files/cmp2', 'files/ctl1', 'files/stor1']);
    const metrics = await cli('backups', '--metrics');
    expect(metrics.stdout).toMatch(new RegExp(`runbook_backup_offsite_last_verified_age_seconds\\{storage="swift:${CONTAINER}",kind="db",host="ctl1"\\} \\d`));
    const check = await cli('backups', '--check', '--max-age', '26h');
    expect(check.code, check.stdout).toBe(0);
  });

  it('an object replaced in Swift is refused on the way back (sha256 on arrival), and copy-offsite puts the right one back', async () => {
    const dir = await newest('db', 'ctl1');
    const id = dir.split('/').pop()!;
    const object = `db/ctl1/${id}/nova.sql.zst`;
    const original = await stat(object);
    // Same size, same sha256 metadata, other bytes: only the download's own sha256 tells.
    await swift(`f=$(mktemp) && head -c ${original.size} /dev/urandom > "$f" && swift upload ${CONTAINER} "$f" --object-name '${object}' -H 'X-Object-Meta-Sha256: ${original.sha256}' >/dev/null && rm -f "$f"`);
    await lab.ssh('stor1', `mv ${ROOT} /var/backups/aside`);
    await lab.fault({ kind: 'drop-database', database: 'nova' });
    try {
      const before = await lab.fingerprint('ctl1');
      const recovered = await cli('exec', 'recover-nova', '--yes');
      expect(recovered.code, recovered.stdout + recovered.stderr).toBe(1);
      expect(recovered.stdout).toMatch(new RegExp(`nova\\.sql\\.zst arrived with sha256 [0-9a-f]{64}, the manifest says ${original.sha256}`));
      expect(diffFingerprints(before, await lab.fingerprint('ctl1'))).toEqual([]);
    } finally {
      await lab.ssh('stor1', `mv /var/backups/aside ${ROOT}`);
    }
    // The storage node's copy is whole: nova comes back from it.
    const healed = await cli('exec', 'recover-nova', '--yes');
    expect(healed.code, healed.stdout + healed.stderr).toBe(0);
    expect(healed.stdout).toContain(`from the storage node's copy stor1:${ROOT}`);
    const repaired = await cli('exec', 'copy-offsite');
    expect(repaired.code, repaired.stdout + repaired.stderr).toBe(0);
    expect(repaired.stdout).toMatch(/changed: \[ctl1\]/);
    expect(await stat(object)).toEqual(original);
  });

  it('recover-nova restores from the off-site copy alone when the storage node lost its catalog, and says so', async () => {
    const before = await lab.fingerprint();
    await lab.fault({ kind: 'delete-path', host: 'stor1', path: ROOT });
    await lab.fault({ kind: 'drop-database', database: 'nova' });
    const recovered = await cli('exec', 'recover-nova', '--yes');
    expect(recovered.code, recovered.stdout + recovered.stderr).toBe(0);
    expect(recovered.stdout).toMatch(new RegExp(`ok: \\[ctl1\\] backup \\S+ from the off-site copy swift:${CONTAINER} \\(not in stor1:${ROOT}\\)`));
    expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
    expect((await lab.ssh('stor1', `ls -A ${ROOT} 2>/dev/null | wc -l`)).stdout.trim()).toBe('0');
  });

  it('rotate prunes the off-site copy by its own policy: exactly the objects of the backups it does not keep, the others untouched', async () => {
    // A made-up catalog uploaded as it is, next to the real copies (rotate keeps the newest of
    // each kind and host, which are the real ones of today for db/ctl1 and files/ctl1).
    const made: MadeUpBackup[] = [
      { kind: 'db', host: 'ctl9', created: daysAgo(1) }, { kind: 'db', host: 'ctl9', created: daysAgo(2) },
      { kind: 'db', host: 'ctl9', created: daysAgo(40) }, { kind: 'db', host: 'ctl9', created: daysAgo(90) },
      { kind: 'files', host: 'ctl9', created: daysAgo(3) }, { kind: 'files', host: 'ctl9', created: daysAgo(100) },
    ];
    const madeUp = '/var/tmp/offsite-made-up';
    const written = await lab.ssh('stor1', writeCatalogScript(madeUp, made));
    expect(written.code, written.stderr).toBe(0);
    await swift(`cd ${madeUp} && swift upload ${CONTAINER} db files >/dev/null && rm -rf ${madeUp}`);
    const before = await objects();
    const gone = [made[2]!, made[3]!, made[5]!].map(pathOf);
    expect(before.filter((o) => gone.some((g) => o.startsWith(`${g}/`)))).toHaveLength(6);
    await lab.ssh('stor1', `mkdir -p ${ROOT}`);
    const policy = ['offsite_keep_last=2', 'offsite_daily=0', 'offsite_weekly=0', 'offsite_monthly=0', 'offsite_max_age=30d'].flatMap((p) => ['--param', p]);
    const plan = await cli('exec', 'rotate', '--check', ...policy);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`would delete 3 of `);
    expect((await objects())).toEqual(before);
    const run = await cli('exec', 'rotate', ...policy);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(await objects()).toEqual(before.filter((o) => !gone.some((g) => o.startsWith(`${g}/`))));
    const again = await cli('exec', 'rotate', ...policy);
    expect(again.stdout).toMatch(/stor1 : ok=3 {2}changed=0/);
  });

  it('the key is in no output and no journal; no token either', async () => {
    expect(outputs.length).toBeGreaterThan(8);
    for (const o of outputs) expect(o.stdout + o.stderr).not.toContain(key);
    const journals = readdirSync(join(state, 'runs')).map((f) => readFileSync(join(state, 'runs', f), 'utf8'));
    expect(journals.length).toBeGreaterThan(5);
    for (const text of journals) {
      expect(text).not.toContain(key);
      expect(text).not.toMatch(/AUTH_tk[0-9a-f]{8}/);
    }
  });
});
