import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffFingerprints, labUp, type LabHandle } from '../../lab/api.js';
import { labRuns } from '../support/lab-runs.js';

// A manifest on the storage node is untrusted input. Real backups on the lab, then their
// manifests tampered with on stor1 as an attacker or a failing disk would: recover-nova must
// refuse before it reads or writes anything by them, outside the catalog and its work folder
// above all, and the databases and state directories must stay as they were.
let lab: LabHandle;
let work: string;
const { cli, exec, ssh } = labRuns(() => lab, () => work);
const CATALOG = '/var/backups/openstack';
/** On stor1 a file an attacker wants read; on ctl1 one they want overwritten (or moved aside). */
const SENTINEL = '/var/tmp/x';
/** From the backup folder on stor1 and from the work folder on ctl1 alike, this reaches SENTINEL. */
const TRAVERSAL = '../../../../../../../var/tmp/x';
/** The exit code of a run that failed (and rolled back what it changed: nothing here). */
const FAILED = 1;

interface BackupFile {
  name: string;
  size: number;
  sha256: string;
}
type Manifest = { files: BackupFile[] } & Record<string, unknown>;

const newest = async (kind: string): Promise<string> => (await ssh('stor1', `ls -d ${CATALOG}/${kind}/ctl1/* | tail -n 1`)).trim();
const readManifest = async (dir: string): Promise<Manifest> => JSON.parse(await ssh('stor1', `cat ${dir}/manifest.json`)) as Manifest;

/** Size and sha256 of a file on a host, as a manifest would hold them. */
async function described(host: string, path: string): Promise<Omit<BackupFile, 'name'>> {
  const [size = '', sha256 = ''] = (await ssh(host, `stat -c %s ${path} && sha256sum < ${path} | cut -c1-64`)).trim().split('\n');
  return { size: Number(size), sha256 };
}

/**
 * Runs `test` with the newest `kind` backup's manifest edited by `edit` (and its folder changed
 * by `prepare`, a shell command run there first), then puts folder and manifest back as they were.
 */
async function withTampered(kind: string, edit: (m: Manifest, dir: string) => void | Promise<void>, test: (dir: string) => Promise<void>, prepare = 'true'): Promise<void> {
  const dir = await newest(kind);
  const keep = `/var/tmp/keep-${kind}`;
  await ssh('stor1', `rm -rf ${keep} && cp -a ${dir} ${keep} && cd ${dir} && ${prepare}`);
  try {
    const manifest = await readManifest(dir);
    await edit(manifest, dir);
    const written = await lab.ssh('stor1', `cat > ${dir}/manifest.json`, JSON.stringify(manifest, null, 2));
    expect(written.code, written.stderr).toBe(0);
    await test(dir);
  } finally {
    await ssh('stor1', `rm -rf ${dir} && mv ${keep} ${dir}`);
  }
}

/** Sets a file's atime before its mtime (2001-01-01): under relatime (and strictatime) the next read moves it. */
const UNREAD = 'touch -a -d @978307200';
const markUnread = (host: string, path: string) => ssh(host, `${UNREAD} ${path}`);
const plantUnread = (host: string, path: string, text: string) => ssh(host, `printf '%s\\n' '${text}' > ${path} && ${UNREAD} ${path}`);
/**
 * What proves a file untouched: inode, size, mtime, atime (which a read moves, see the first
 * test) and content. The atime is shown before the content is hashed, and set back after.
 */
const fileState = (host: string, path: string) => ssh(host, `stat -c 'inode %i size %s mtime %Y atime %X' ${path} && sha256sum < ${path} && ${UNREAD} ${path}`);
/** ctl1's /var/tmp, hidden names included: a file moved aside or written by a traversal would show here. */
const varTmp = () => ssh('ctl1', 'ls -A /var/tmp');

beforeAll(async () => {
  lab = await labUp({ dir: mkdtempSync(join(tmpdir(), 'lab-tampered-')) });
  work = mkdtempSync(join(tmpdir(), 'runbook-tampered-'));
  for (const runbook of ['backup-db', 'backup-files']) {
    const backup = await exec(runbook);
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
  }
  await plantUnread('stor1', SENTINEL, 'stor1: must never be read by a restore');
  await plantUnread('ctl1', SENTINEL, 'ctl1: must never be overwritten or moved aside by a restore');
});

afterAll(async () => {
  await lab?.down();
});

describe('a tampered manifest on the storage node', () => {
  let pristine: Awaited<ReturnType<LabHandle['fingerprint']>>;
  let broken: Awaited<ReturnType<LabHandle['fingerprint']>>;

  it('(the proof of "not read" works: a read of a planted file moves its atime on this lab)', async () => {
    const probe = '/var/tmp/probe';
    await plantUnread('stor1', probe, 'probe');
    const atime = async () => (await ssh('stor1', `stat -c %X ${probe}`)).trim();
    const planted = await atime();
    await ssh('stor1', `cat ${probe} > /dev/null`);
    expect(await atime()).not.toBe(planted);
    await ssh('stor1', `rm ${probe}`);
  });

  it('(the lab is broken so that a restore has work to do: a dropped database and a changed /etc/nova)', async () => {
    pristine = await lab.fingerprint();
    await lab.fault({ kind: 'drop-database', database: 'nova_api' });
    await lab.fault({ kind: 'corrupt-file', host: 'ctl1', path: '/etc/nova' });
    broken = await lab.fingerprint();
    expect(diffFingerprints(pristine, broken)).not.toEqual([]);
  });

  /**
   * The refusal and everything that must not have happened: exit code, the reason in the
   * output, the sentinels neither read nor written nor moved aside, ctl1's /var/tmp as it was,
   * the databases and directories as the run found them.
   */
  async function refused(reason: RegExp): Promise<string> {
    await markUnread('stor1', SENTINEL);
    await markUnread('ctl1', SENTINEL);
    const stor1 = await fileState('stor1', SENTINEL);
    const ctl1 = await fileState('ctl1', SENTINEL);
    const tmp = await varTmp();
    const recover = await exec('recover-nova');
    // Soft: a regression shows every way it went wrong at once, not only the first.
    expect.soft(recover.code, recover.stdout + recover.stderr).toBe(FAILED);
    expect.soft(recover.stdout + recover.stderr).toMatch(reason);
    expect.soft(await fileState('stor1', SENTINEL), 'stor1:/var/tmp/x read').toBe(stor1);
    expect.soft(await fileState('ctl1', SENTINEL), 'ctl1:/var/tmp/x written or moved').toBe(ctl1);
    expect.soft(await varTmp(), "ctl1's /var/tmp").toBe(tmp);
    expect.soft(diffFingerprints(broken, await lab.fingerprint())).toEqual([]);
    return recover.stdout;
  }

  /** `runbook backups` lists the folder as a problem, with the manifest's field and value. */
  async function listedAsProblem(dir: string, field: string, value: string): Promise<void> {
    const table = await cli('backups', '-i', lab.inventory);
    expect.soft(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split('\n');
    expect.soft(lines).toContain("problems (1): these folders' manifests cannot be read, so they are neither listed nor restored");
    const problem = lines.find((line) => line.startsWith(`  ${dir}: `));
    expect.soft(problem).toMatch(/^ {2}\S+: manifest\.json:\d+:\d+: /);
    expect.soft(problem).toContain(`'${field}' is ${JSON.stringify(value)}: not a plain file name`);
    // Not in the table of backups: its row would start with its id and name its kind and host.
    expect.soft(lines.filter((line) => /^\d{8}-/.test(line)).map((line) => line.split(/\s+/).slice(1, 3).join('/'))).not.toContain('files/ctl1');
  }

  it.each([
    ['a traversal', TRAVERSAL],
    ['an absolute path', SENTINEL],
  ])('with %s as a file name (its size and sha256 those of the file it points at) is refused: nothing read or written outside the catalog and work folders', async (_, name) => {
    const pointee = await described('stor1', SENTINEL);
    let index = -1;
    await withTampered('files', (m) => void (index = m.files.push({ name, ...pointee }) - 1), async (dir) => {
      await listedAsProblem(dir, `files[${index}].name`, name);
      const stdout = await refused(/backup \S+ in \S+ on stor1 is refused, nothing was read from it: manifest\.json:\d+:\d+: 'files\[\d+\]\.name' is "[^"]+": not a plain file name/);
      expect(stdout).toMatch(/STEP \[find-config-backup\][^\n]*\nfailed: \[ctl1\]\n/);
    });
  });

  it('whose size was changed (the sha256 kept right) is refused on the storage node, naming the file and both sizes', async () => {
    await withTampered('db', (m) => {
      const file = m.files.find((f) => f.name === 'nova_api.sql.zst')!;
      file.size += 1;
    }, async (dir) => {
      const { size } = await described('stor1', `${dir}/nova_api.sql.zst`);
      const stdout = await refused(new RegExp(`does not match its manifest: nova_api\\.sql\\.zst is ${size} bytes, the manifest says ${size + 1}`));
      expect(stdout).toMatch(/STEP \[find-db-backup\][^\n]*\nfailed: \[ctl1\]\n/);
    });
  });

  it.each([
    ['truncated', 'truncate -s -16 nova_api.sql.zst'],
    ['extended', "printf 'appended' >> nova_api.sql.zst"],
  ])('whose file was %s on the storage node, the sha256 in the manifest edited to match, is refused by its size', async (_, change) => {
    const sizes: number[] = [];
    await withTampered('db', async (m, dir) => {
      const file = m.files.find((f) => f.name === 'nova_api.sql.zst')!;
      const now = await described('stor1', `${dir}/nova_api.sql.zst`);
      sizes.push(file.size, now.size);
      file.sha256 = now.sha256;
    }, async () => {
      const [recorded, actual] = sizes;
      expect(actual).not.toBe(recorded);
      await refused(new RegExp(`does not match its manifest: nova_api\\.sql\\.zst is ${actual} bytes, the manifest says ${recorded}`));
    }, change);
  });

  it('whose file was replaced by a symlink out of the catalog (size and sha256 made to match) is refused without reading it', async () => {
    const pointee = await described('stor1', SENTINEL);
    await withTampered('db', (m) => {
      const file = m.files.find((f) => f.name === 'nova_api.sql.zst')!;
      Object.assign(file, pointee);
    }, async () => {
      await refused(/nova_api\.sql\.zst is missing, unreadable or not a regular file/);
    }, `rm nova_api.sql.zst && ln -s ${SENTINEL} nova_api.sql.zst`);
  });

  it('(with every manifest put back, the same recover-nova restores the lab: the refusals were the tampering)', async () => {
    const recover = await exec('recover-nova');
    expect(recover.code, recover.stdout + recover.stderr).toBe(0);
    expect(diffFingerprints(pristine, await lab.fingerprint())).toEqual([]);
    const listed = await cli('backups', '-i', lab.inventory);
    expect(listed.stdout).not.toContain('problems');
  });
});
