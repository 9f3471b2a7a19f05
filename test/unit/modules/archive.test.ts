import { describe, expect, it } from 'vitest';
import { archiveModule, tarMembers, type ArchiveArgs } from '../../../src/modules/archive.js';
import { pathFactCommand } from '../../../src/modules/facts.js';
import { fakeHost, succeeding } from './fake-host.js';

// archive, pyinfra style: the fact of dest in, the commands out.
const DEST = '/var/backups/etc.tgz';
const ASIDE = '/var/backups/.etc.tgz.runbook-r1-step';
const TEMP = `${ASIDE}.part`;
const args = (more: Partial<ArchiveArgs> = {}): ArchiveArgs => ({ path: ['/etc/nova', 'conf.d'], dest: DEST, exclude: [], format: 'tar.gz', ...more });
const TAR = `mkdir -p -- /var/backups && (umask 077 && tar -czpf ${TEMP} conf.d -C / etc/nova) && gzip -t -- ${TEMP} && mv -f -- ${TEMP} ${DEST}`;
const FILE = 'file\n600 root root 0 0\n';

describe('archive', () => {
  it('an existing dest is done: one read, nothing else', async () => {
    const host = fakeHost([{ command: pathFactCommand(DEST).text, stdout: FILE }]);
    expect(await archiveModule.check(host.ctx, args())).toMatchObject({ status: 'ok' });
    expect(host.commands).toEqual([pathFactCommand(DEST).text]);
  });

  it('a missing dest: tar to a temporary name, gzip -t, rename; rollback removes what it wrote', async () => {
    const host = fakeHost([{ command: pathFactCommand(DEST).text, stdout: 'missing\n/var/backups/etc.tgz\n' }, ...succeeding([TAR, `rm -f -- ${TEMP}; rm -f -- ${DEST}`])]);
    const check = await archiveModule.check(host.ctx, args());
    expect(check).toMatchObject({ status: 'change', prior: { existed: false } });
    if (check.status !== 'change') return;
    expect(await archiveModule.apply(host.ctx, args(), check.prior)).toMatchObject({ ok: true });
    expect(await archiveModule.rollback!(host.ctx, args(), check.prior)).toMatchObject({ ok: true });
    expect(await archiveModule.commit!(host.ctx, args(), check.prior)).toEqual({ ok: true, commands: [] });
    expect(host.commands).toEqual([pathFactCommand(DEST).text, TAR, `rm -f -- ${TEMP}; rm -f -- ${DEST}`]);
  });

  it('force over an existing dest: the previous archive kept as a hard link, back on rollback, gone on commit', async () => {
    const keep = `ln -f -- ${DEST} ${ASIDE} 2>/dev/null || cp -p -- ${DEST} ${ASIDE}`;
    const restore = `rm -f -- ${TEMP}; if [ -e ${ASIDE} ]; then if [ ${ASIDE} -ef ${DEST} ]; then rm -f -- ${ASIDE}; else mv -f -- ${ASIDE} ${DEST}; fi; fi`;
    const host = fakeHost([{ command: pathFactCommand(DEST).text, stdout: FILE }, ...succeeding([keep, TAR, restore, `rm -f -- ${ASIDE}`])]);
    const check = await archiveModule.check(host.ctx, args({ force: true }));
    expect(check).toMatchObject({ status: 'change', prior: { existed: true } });
    if (check.status !== 'change') return;
    await archiveModule.apply(host.ctx, args({ force: true }), check.prior);
    await archiveModule.rollback!(host.ctx, args({ force: true }), check.prior);
    await archiveModule.commit!(host.ctx, args({ force: true }), check.prior);
    expect(host.commands).toEqual([pathFactCommand(DEST).text, keep, TAR, restore, `rm -f -- ${ASIDE}`]);
  });

  it('a previous archive that cannot be kept stops before tar runs', async () => {
    const keep = `ln -f -- ${DEST} ${ASIDE} 2>/dev/null || cp -p -- ${DEST} ${ASIDE}`;
    const host = fakeHost([{ command: keep, exitCode: 1 }]);
    const applied = await archiveModule.apply(host.ctx, args({ force: true }), { existed: true });
    expect(applied).toMatchObject({ ok: false, message: `${DEST} exists and could not be kept for rollback` });
    expect(host.commands).toEqual([keep]);
  });

  it('excludes lose their leading / (tar stores members without it) and are quoted', async () => {
    const host = fakeHost([...succeeding([/^mkdir -p/])]);
    await archiveModule.apply(host.ctx, args({ exclude: ['/etc/nova/*.bak'] }), { existed: false });
    expect(host.commands[0]).toContain(`-czpf ${TEMP} '--exclude=etc/nova/*.bak' conf.d -C / etc/nova`);
  });

  it('tar words: relative paths first, then -C / and the absolute ones; a path like an option gets ./', () => {
    expect(tarMembers(['/etc/nova', 'a b', '-x', '/'])).toEqual(['a b', './-x', '-C', '/', 'etc/nova', '.']);
  });

  it('loads one path as a list, with no excludes and the one format', () => {
    expect(archiveModule.load({ value: { path: '/etc', dest: DEST }, step: {}, runbookDir: '/rb' })).toEqual({ path: ['/etc'], dest: DEST, exclude: [], format: 'tar.gz' });
  });
});
