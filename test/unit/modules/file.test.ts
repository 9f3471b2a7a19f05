import { describe, expect, it } from 'vitest';
import { pathFactCommand } from '../../../src/modules/facts.js';
import { fileModule, type FileArgs } from '../../../src/modules/file.js';
import { treeCommand } from '../../../src/modules/tree-attributes.js';
import { fakeHost, succeeding, type Answer } from './fake-host.js';

/** The fact command's output for each kind of path (mode, owner, group, uid, gid). */
const FACT = {
  missing: (firstMissing: string) => `missing\n${firstMissing}\n`,
  dir: (mode = '755', owner = 'root 0') => `directory\n${mode} ${owner.split(' ')[0]} ${owner.split(' ')[0]} ${owner.split(' ')[1]} ${owner.split(' ')[1]}\n`,
  file: (mode = '644') => `file\n${mode} root root 0 0\n`,
  link: (target: string) => `link\n${target}\n`,
};

const ASIDE = (path: string) => path.replace(/([^/]+)$/, '.$1.runbook-r1-step');

interface Case {
  name: string;
  args: FileArgs;
  fact: string;
  status: 'ok' | 'change' | 'failed';
  apply?: string[];
  rollback?: string[];
  commit?: string[];
  message?: RegExp;
}

const table: Case[] = [
  // directory
  { name: 'directory exists with its mode: ok', args: { path: '/etc/nova', state: 'directory', mode: '0755' }, fact: FACT.dir('755'), status: 'ok' },
  { name: 'directory with setgid, 3-digit mode asked: ok (chmod keeps setgid)', args: { path: '/d', state: 'directory', mode: '755' }, fact: FACT.dir('2755'), status: 'ok' },
  {
    name: 'missing directory: mkdir -p, rollback removes what was created, deepest first',
    args: { path: '/srv/a/b', state: 'directory', mode: '0750' }, fact: FACT.missing('/srv/a'), status: 'change',
    apply: ['mkdir -p -- /srv/a/b && chmod 750 -- /srv/a/b'], rollback: ['rmdir -- /srv/a/b /srv/a'], commit: [],
  },
  {
    name: 'mode and owner differ: chmod/chown, rollback restores by numeric id',
    args: { path: '/etc/nova', state: 'directory', mode: '0750', owner: 'nova', group: 'nova' }, fact: FACT.dir('755', 'root 0'), status: 'change',
    apply: ['chmod 750 -- /etc/nova && chown nova:nova -- /etc/nova'], rollback: ['chmod 00755 -- /etc/nova && chown 0:0 -- /etc/nova'],
  },
  {
    name: 'only the asked attribute is restored',
    args: { path: '/etc/nova', state: 'directory', group: 'nova' }, fact: FACT.dir('755', 'root 0'), status: 'change',
    apply: ['chown :nova -- /etc/nova'], rollback: ['chown 0:0 -- /etc/nova'],
  },
  { name: 'directory where a file is: refused by the check', args: { path: '/etc/nova', state: 'directory' }, fact: FACT.file(), status: 'failed', message: /is a file, not a directory/ },
  // absent
  { name: 'absent and missing: ok', args: { path: '/tmp/x', state: 'absent' }, fact: FACT.missing('/tmp/x'), status: 'ok' },
  {
    name: 'absent on a directory: moved aside, moved back on rollback, deleted on commit',
    args: { path: '/var/lib/nova/old', state: 'absent' }, fact: FACT.dir(), status: 'change',
    apply: ['if [ -e /var/lib/nova/old ] || [ -L /var/lib/nova/old ]; then mv -T -- /var/lib/nova/old /var/lib/nova/.old.runbook-r1-step; fi'],
    rollback: [`if [ -e ${ASIDE('/var/lib/nova/old')} ] || [ -L ${ASIDE('/var/lib/nova/old')} ]; then mv -T -- ${ASIDE('/var/lib/nova/old')} /var/lib/nova/old; fi`],
    commit: ['rm -rf -- /var/lib/nova/.old.runbook-r1-step'],
  },
  {
    name: 'a path with a space and a quote stays one word',
    args: { path: "/tmp/it's here", state: 'absent' }, fact: FACT.file(), status: 'change',
    apply: [`if [ -e '/tmp/it'\\''s here' ] || [ -L '/tmp/it'\\''s here' ]; then mv -T -- '/tmp/it'\\''s here' '/tmp/.it'\\''s here.runbook-r1-step'; fi`],
  },
  // link
  { name: 'link to the right target: ok', args: { path: '/etc/alt', state: 'link', src: '/opt/a' }, fact: FACT.link('/opt/a'), status: 'ok' },
  {
    name: 'link to another target: repointed, rollback points it back',
    args: { path: '/etc/alt', state: 'link', src: '/opt/b' }, fact: FACT.link('/opt/a'), status: 'change',
    apply: ['ln -sfn -- /opt/b /etc/alt'], rollback: ['if [ -L /etc/alt ]; then rm -f -- /etc/alt; fi && ln -sfn -- /opt/a /etc/alt'], commit: [],
  },
  {
    name: 'missing link: created, rollback removes it',
    args: { path: '/etc/alt', state: 'link', src: '/opt/b' }, fact: FACT.missing('/etc/alt'), status: 'change',
    apply: ['ln -sfn -- /opt/b /etc/alt'], rollback: ['if [ -L /etc/alt ]; then rm -f -- /etc/alt; fi'],
  },
  {
    name: 'link where a file is: the file moved aside first',
    args: { path: '/etc/alt', state: 'link', src: '/opt/b' }, fact: FACT.file(), status: 'change',
    apply: ['if [ -e /etc/alt ] || [ -L /etc/alt ]; then mv -T -- /etc/alt /etc/.alt.runbook-r1-step; fi && ln -sfn -- /opt/b /etc/alt'],
    rollback: ['if [ -L /etc/alt ]; then rm -f -- /etc/alt; fi && if [ -e /etc/.alt.runbook-r1-step ] || [ -L /etc/.alt.runbook-r1-step ]; then mv -T -- /etc/.alt.runbook-r1-step /etc/alt; fi'],
    commit: ['rm -rf -- /etc/.alt.runbook-r1-step'],
  },
  // file and touch
  { name: 'file with its mode: ok', args: { path: '/etc/nova/nova.conf', state: 'file', mode: '0640' }, fact: FACT.file('640'), status: 'ok' },
  {
    name: 'file with another mode: chmod, rollback restores',
    args: { path: '/etc/nova/nova.conf', state: 'file', mode: '0640' }, fact: FACT.file('644'), status: 'change',
    apply: ['chmod 640 -- /etc/nova/nova.conf'], rollback: ['chmod 00644 -- /etc/nova/nova.conf'],
  },
  { name: 'file that is missing: refused (file does not create)', args: { path: '/etc/x', state: 'file' }, fact: FACT.missing('/etc/x'), status: 'failed', message: /does not exist/ },
  { name: 'file where a directory is: refused', args: { path: '/etc/x', state: 'file' }, fact: FACT.dir(), status: 'failed', message: /is a directory, not a regular file/ },
  { name: 'touch on an existing file: ok', args: { path: '/run/flag', state: 'touch' }, fact: FACT.file(), status: 'ok' },
  {
    name: 'touch in a missing directory: created with it, rollback removes both',
    args: { path: '/srv/new/flag', state: 'touch', mode: '0600' }, fact: FACT.missing('/srv/new'), status: 'change',
    apply: ['mkdir -p -- /srv/new && touch -- /srv/new/flag && chmod 600 -- /srv/new/flag'], rollback: ['rm -f -- /srv/new/flag && rmdir -- /srv/new'],
  },
  {
    name: 'touch with the parent there',
    args: { path: '/run/flag', state: 'touch' }, fact: FACT.missing('/run/flag'), status: 'change',
    apply: ['touch -- /run/flag'], rollback: ['rm -f -- /run/flag'],
  },
  { name: 'touch with a mode on a link: refused (chmod would follow it)', args: { path: '/run/l', state: 'touch', mode: '0600' }, fact: FACT.link('/x'), status: 'failed' },
];

describe('file: facts in, commands out', () => {
  it.each(table)('$name', async (c) => {
    const host = fakeHost([{ command: pathFactCommand(c.args.path).text, stdout: c.fact }, ...succeeding(c.apply, c.rollback, c.commit)]);
    const checked = await fileModule.check(host.ctx, c.args);
    expect(host.commands).toEqual([pathFactCommand(c.args.path).text]);
    expect(checked.status).toBe(c.status);
    if (checked.status === 'failed' && c.message) expect(checked.message).toMatch(c.message);
    if (checked.status !== 'change') return;
    const run = async (phase: () => Promise<unknown>): Promise<string[]> => {
      const from = host.commands.length;
      await phase();
      return host.commands.slice(from);
    };
    if (c.apply) expect(await run(() => fileModule.apply(host.ctx, c.args, checked.prior))).toEqual(c.apply);
    if (c.rollback) expect(await run(() => fileModule.rollback!(host.ctx, c.args, checked.prior))).toEqual(c.rollback);
    if (c.commit) expect(await run(() => fileModule.commit!(host.ctx, c.args, checked.prior))).toEqual(c.commit);
  });
});

describe('file recurse', () => {
  const listing = ['d 750 nova nova 64 64 /var/lib/nova/a', 'f 644 root root 0 0 /var/lib/nova/a/b c', 'f 640 nova nova 64 64 /var/lib/nova/ok', ''].join('\0');
  const args: FileArgs = { path: '/var/lib/nova', state: 'directory', owner: 'nova', group: 'nova', mode: '0750', recurse: true };
  const answers: Answer[] = [
    { command: pathFactCommand('/var/lib/nova').text, stdout: FACT.dir('750', 'nova 64') },
    { command: treeCommand('/var/lib/nova').text, stdout: listing },
  ];

  it('lists the tree, changes it with -R, and restores each entry it changed on rollback', async () => {
    const host = fakeHost([...answers, ...succeeding(['chmod -R 750 -- /var/lib/nova && chown -R nova:nova -- /var/lib/nova', 'chmod 0', 'chown 0', 'chown 64'])]);
    const checked = await fileModule.check(host.ctx, args);
    expect(checked.status).toBe('change');
    if (checked.status !== 'change') return;
    expect(checked.prior.below).toEqual([
      { path: '/var/lib/nova/a/b c', mode: '644', uid: '0', gid: '0' },
      { path: '/var/lib/nova/ok', mode: '640', uid: '64', gid: '64' },
    ]);
    host.commands.length = 0;
    await fileModule.apply(host.ctx, args, checked.prior);
    expect(host.commands).toEqual(['chmod -R 750 -- /var/lib/nova && chown -R nova:nova -- /var/lib/nova']);
    host.commands.length = 0;
    await fileModule.rollback!(host.ctx, args, checked.prior);
    expect(host.commands).toEqual([
      'chmod 00750 -- /var/lib/nova && chown 64:64 -- /var/lib/nova',
      "chmod 00644 -- '/var/lib/nova/a/b c'",
      'chmod 00640 -- /var/lib/nova/ok',
      "chown 0:0 -- '/var/lib/nova/a/b c'",
      'chown 64:64 -- /var/lib/nova/ok',
    ]);
  });

  it('is ok when the directory and everything below match', async () => {
    const host = fakeHost([answers[0]!, { command: treeCommand('/var/lib/nova').text, stdout: 'd 750 nova nova 64 64 /var/lib/nova/a\0' }]);
    expect((await fileModule.check(host.ctx, args)).status).toBe('ok');
  });

  it('refuses when the tree cannot be listed completely (rollback would be partial)', async () => {
    const host = fakeHost([answers[0]!, { command: treeCommand('/var/lib/nova').text, exitCode: 1 }]);
    expect(await fileModule.check(host.ctx, args)).toMatchObject({ status: 'failed' });
  });
});
