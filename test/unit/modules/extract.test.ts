import { describe, expect, it } from 'vitest';
import { archiveRoots, extractModule, type ExtractArgs } from '../../../src/modules/extract.js';
import { fakeHost, succeeding } from './fake-host.js';

// extract, pyinfra style: the archive's listing and dest's state in, the commands out.
const SRC = '/var/backups/etc.tgz';
const LIST = `tar -tzf ${SRC}`;
const MATCHES = `cd -- / && tar -dzf ${SRC} >/dev/null 2>&1 && [ "$(find etc/nova 2>/dev/null | LC_ALL=C sort)" = "$(tar -tzf ${SRC} | sed 's:/*$::' | LC_ALL=C sort)" ]`;
const PRESENT = `mkdir -p -- / && cd -- / && for r in etc/nova; do if [ -e "$r" ] || [ -L "$r" ]; then printf '%s\\n' "$r"; fi; done`;
const ASIDE = '/var/backups/.etc.tgz.runbook-r1-step.before.tar.gz';
const SAVE = `(umask 077 && tar --numeric-owner -czpf ${ASIDE} -C / etc/nova)`;
const UNPACK = `cd -- / && { if [ -d etc/nova ] && [ ! -L etc/nova ]; then find etc/nova -mindepth 1 -delete; else rm -f -- etc/nova; fi; } && tar -xzpf ${SRC} -C /`;
const args: ExtractArgs = { src: SRC, dest: '/' };

describe('extract', () => {
  it('creates that exists: done, one test', async () => {
    const host = fakeHost([{ command: 'test -e /etc/nova/nova.conf' }]);
    expect(await extractModule.check(host.ctx, { ...args, creates: '/etc/nova/nova.conf' })).toMatchObject({ status: 'ok' });
    expect(host.commands).toEqual(['test -e /etc/nova/nova.conf']);
  });

  it('dest already holds exactly the archive: done, read-only', async () => {
    const host = fakeHost([{ command: LIST, stdout: 'etc/nova/\netc/nova/nova.conf\n' }, { command: MATCHES }]);
    expect(await extractModule.check(host.ctx, args)).toMatchObject({ status: 'ok' });
    expect(host.commands).toEqual([LIST, MATCHES]);
  });

  it('dest differs: the current content saved aside, replaced by the archive; rollback unpacks the saved one; commit drops it', async () => {
    const rollback = `cd -- / && { true; if [ -d etc/nova ] && [ ! -L etc/nova ]; then find etc/nova -mindepth 1 -delete; else rm -f -- etc/nova; fi; } && tar --numeric-owner -xzpf ${ASIDE} -C / && rm -f -- ${ASIDE}`;
    const host = fakeHost([
      { command: LIST, stdout: 'etc/nova/\netc/nova/nova.conf\n' },
      { command: MATCHES, exitCode: 1 },
      { command: PRESENT, stdout: 'etc/nova\n' },
      ...succeeding([SAVE, UNPACK, rollback, `rm -f -- ${ASIDE}`]),
    ]);
    const check = await extractModule.check(host.ctx, args);
    expect(check.status).toBe('change');
    if (check.status !== 'change') return;
    expect(await extractModule.apply(host.ctx, args, check.prior)).toMatchObject({ ok: true });
    expect(check.prior).toEqual({ roots: ['etc/nova'], existing: ['etc/nova'], aside: ASIDE });
    await extractModule.rollback!(host.ctx, args, check.prior);
    await extractModule.commit!(host.ctx, args, check.prior);
    expect(host.commands).toEqual([LIST, MATCHES, LIST, PRESENT, SAVE, UNPACK, rollback, `rm -f -- ${ASIDE}`]);
  });

  it('nothing there before: nothing saved; rollback removes what it unpacked', async () => {
    const host = fakeHost([{ command: LIST, stdout: 'etc/nova/\n' }, { command: PRESENT, stdout: '' }, ...succeeding([UNPACK, /^cd -- \/ && \{ if/])]);
    const prior = { roots: [], existing: [] };
    await extractModule.apply(host.ctx, args, prior);
    await extractModule.rollback!(host.ctx, args, prior);
    expect(host.commands.at(-1)).toBe('cd -- / && { if [ -d etc/nova ] && [ ! -L etc/nova ]; then rm -rf -- etc/nova; else rm -f -- etc/nova; fi; true; }');
    expect(await extractModule.commit!(host.ctx, args, prior)).toEqual({ ok: true, commands: [] });
  });

  it.each([
    ['../etc/passwd', "'../etc/passwd'"],
    ['/etc/passwd', "'/etc/passwd'"],
  ])('refuses a member that leaves dest (%s) before touching anything', async (member, shown) => {
    const host = fakeHost([{ command: `tar -tzf ${SRC}`, stdout: `${member}\n` }]);
    const applied = await extractModule.apply(host.ctx, { src: SRC, dest: '/srv' }, { roots: [], existing: [] });
    expect(applied).toMatchObject({ ok: false, message: `${SRC} has member ${shown}, which would not stay inside /srv` });
    expect(host.commands).toEqual([LIST]);
  });

  it('an archive that cannot be listed fails the apply with words', async () => {
    const host = fakeHost([{ command: LIST, exitCode: 2 }]);
    expect(await extractModule.apply(host.ctx, args, { roots: [], existing: [] })).toMatchObject({ ok: false, message: `${SRC} is not a readable tar.gz` });
  });

  it('archive roots: members with no ancestor member', () => {
    expect(archiveRoots('etc/nova/\netc/nova/nova.conf\netc/glance/x\nvar/\n')).toEqual(['etc/glance/x', 'etc/nova', 'var']);
  });
});
