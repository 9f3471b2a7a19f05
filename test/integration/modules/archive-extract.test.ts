import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveModule, type ArchiveArgs } from '../../../src/modules/archive.js';
import { extractModule } from '../../../src/modules/extract.js';
import { checkThenApply, type ModuleHosts, startModuleHosts, tree, workDir } from './hosts.js';

let hosts: ModuleHosts;
beforeAll(async () => {
  hosts = await startModuleHosts(1);
});
afterAll(async () => hosts?.stop());

/** A small state directory with modes, a foreign owner, a link and a subfolder to exclude. */
function stateDir(root: string): string {
  const dir = join(root, 'etc', 'nova');
  mkdirSync(join(dir, 'instances'), { recursive: true });
  writeFileSync(join(dir, 'nova.conf'), '[database]\nconnection = mysql://nova:secret@db/nova\n');
  chmodSync(join(dir, 'nova.conf'), 0o640);
  chownSync(join(dir, 'nova.conf'), 123, 456);
  writeFileSync(join(dir, 'instances', 'disk'), 'big');
  symlinkSync('nova.conf', join(dir, 'current'));
  chmodSync(dir, 0o750);
  return dir;
}

describe('archive on a real host', () => {
  it('writes a tar.gz with modes and numeric owners, is ok the second time, and rollback removes it', async () => {
    const root = workDir();
    const dir = stateDir(root);
    const ctx = hosts.context('h1');
    const args: ArchiveArgs = { path: [dir], dest: join(root, 'backups', 'files.tar.gz'), exclude: [`${dir}/instances`], format: 'tar.gz' };
    const { checked, applied, prior } = await checkThenApply(archiveModule, ctx, args);
    expect(checked.status).toBe('change');
    expect(applied).toMatchObject({ ok: true });
    const listing = execFileSync('tar', ['--numeric-owner', '-tvzf', args.dest], { encoding: 'utf8' });
    expect(listing).toMatch(/-rw-r----- 123\/456 .*etc\/nova\/nova.conf/);
    expect(listing).not.toContain('instances');
    expect((await archiveModule.check(ctx, args)).status).toBe('ok');
    await archiveModule.rollback!(ctx, args, prior!);
    expect(execFileSync('ls', ['-A', join(root, 'backups')], { encoding: 'utf8' })).toBe('');
  });

  it('with force replaces an existing archive and rollback puts the previous one back', async () => {
    const root = workDir();
    const dir = stateDir(root);
    mkdirSync(join(root, 'backups'));
    writeFileSync(join(root, 'backups', 'files.tar.gz'), 'previous');
    const args: ArchiveArgs = { path: [dir], dest: join(root, 'backups', 'files.tar.gz'), exclude: [], format: 'tar.gz', force: true };
    const before = tree(join(root, 'backups'));
    const { applied, prior } = await checkThenApply(archiveModule, hosts.context('h1'), args);
    expect(applied?.ok).toBe(true);
    expect(tree(join(root, 'backups'))).not.toBe(before);
    await archiveModule.rollback!(hosts.context('h1'), args, prior!);
    expect(tree(join(root, 'backups'))).toBe(before);
  });
});

describe('extract on a real host', () => {
  /** An archive of etc/nova as `archive` makes it, and the directory changed afterwards. */
  async function archived(root: string) {
    const dir = stateDir(root);
    const dest = join(root, 'nova.tar.gz');
    const made = await archiveModule.apply(hosts.context('h1'), { path: [dir], dest, exclude: [], format: 'tar.gz' }, { existed: false });
    expect(made.ok).toBe(true);
    return { dir, archive: dest };
  }

  it('replaces the contents, keeps the directory itself, is idempotent, and rolls back exactly', async () => {
    const root = workDir();
    const { dir, archive } = await archived(root);
    const backedUp = tree(root + '/etc');
    // The live directory drifts: a changed file, a new one, a changed mode.
    writeFileSync(join(dir, 'nova.conf'), 'broken\n');
    writeFileSync(join(dir, 'stray.conf'), 'stray\n');
    chmodSync(dir, 0o700);
    const drifted = tree(root + '/etc');
    const inode = execFileSync('stat', ['-c', '%i', dir], { encoding: 'utf8' });

    const ctx = hosts.context('h1');
    // archive stored the absolute path without its `/`: extracting into / puts it back in place.
    const args = { src: archive, dest: '/' };
    const { checked, applied, prior } = await checkThenApply(extractModule, ctx, args);
    expect(checked.status).toBe('change');
    expect(applied).toMatchObject({ ok: true });
    expect(tree(root + '/etc')).toBe(backedUp);
    expect(execFileSync('stat', ['-c', '%i', dir], { encoding: 'utf8' })).toBe(inode);
    expect((await extractModule.check(ctx, args)).status).toBe('ok');

    expect(await extractModule.rollback!(ctx, args, prior!)).toMatchObject({ ok: true });
    expect(tree(root + '/etc')).toBe(drifted);
    expect(await extractModule.commit!(ctx, args, prior!)).toMatchObject({ ok: true });
    expect(execFileSync('ls', ['-A', root], { encoding: 'utf8' })).toBe('etc\nnova.tar.gz\n');
  });

  it('removes on rollback what it created where nothing was', async () => {
    const root = workDir();
    const { archive } = await archived(root);
    const target = join(root, 'restore');
    mkdirSync(target);
    const ctx = hosts.context('h1');
    const args = { src: archive, dest: target };
    const { applied, prior } = await checkThenApply(extractModule, ctx, args);
    expect(applied?.ok).toBe(true);
    expect(tree(join(target, root, 'etc'))).toBe(tree(join(root, 'etc')));
    await extractModule.rollback!(ctx, args, prior!);
    // The root member (…/etc/nova) is gone; the parents tar made for it are left, empty.
    expect(execFileSync('find', [target, '-type', 'f'], { encoding: 'utf8' })).toBe('');
    expect(execFileSync('find', [target, '-name', 'nova'], { encoding: 'utf8' })).toBe('');
  });

  it('is ok when creates exists', async () => {
    const root = workDir();
    const checked = await extractModule.check(hosts.context('h1'), { src: join(root, 'none.tar.gz'), dest: root, creates: root });
    expect(checked.status).toBe('ok');
  });
});
