import { describe, expect, it } from 'vitest';
import { copyModule, digest, type CopyArgs } from '../../../src/modules/copy.js';
import { pathFactCommand } from '../../../src/modules/facts.js';
import { fakeHost, succeeding } from './fake-host.js';

const CONTENT = '[database]\nconnection = mysql+pymysql://nova:s3cret@db/nova\n';
const fileFact = (content: string, mode = '640') => `file\n${mode} root nova 0 64\n${digest(content)}\n`;
const DEST = '/etc/nova/nova.conf';
const BACKUP = '/etc/nova/.nova.conf.runbook-r1-step';
const WRITE = 'if cat > "$t"';

interface Case {
  name: string;
  args: CopyArgs;
  fact: string;
  status: 'ok' | 'change' | 'failed';
  apply?: (string | RegExp)[];
  rollback?: string[];
  commit?: string[];
}

const table: Case[] = [
  { name: 'same content and mode: ok', args: { dest: DEST, content: CONTENT, mode: '0640' }, fact: fileFact(CONTENT), status: 'ok' },
  {
    name: 'new content: backup as a hard link, write through stdin, restore the backup on rollback, drop it on commit',
    args: { dest: DEST, content: CONTENT }, fact: fileFact('old\n'), status: 'change',
    apply: [
      `if [ ! -e ${BACKUP} ]; then ln -- ${DEST} ${BACKUP} 2>/dev/null || cp -p -- ${DEST} ${BACKUP}; fi && t=$(mktemp -- /etc/nova/.nova.conf.runbook-XXXXXX) && ` +
        `if cat > "$t" && chmod --reference=${DEST} "$t" && chown --reference=${DEST} "$t" && mv -f -- "$t" ${DEST}; then :; else rm -f -- "$t"; exit 1; fi`,
    ],
    rollback: [`if [ ${BACKUP} -ef ${DEST} ]; then rm -f -- ${BACKUP}; elif [ -e ${BACKUP} ]; then mv -f -- ${BACKUP} ${DEST}; fi`],
    commit: [`rm -f -- ${BACKUP}`],
  },
  {
    name: 'backup: true keeps the previous file as DEST.<run id>~ on commit',
    args: { dest: DEST, content: CONTENT, backup: true }, fact: fileFact('old\n'), status: 'change',
    apply: [/^if \[ ! -e /], commit: [`mv -f -- ${BACKUP} '${DEST}.r1~'`],
  },
  {
    name: 'only the mode differs: chmod, rollback restores it, nothing to commit',
    args: { dest: DEST, content: CONTENT, mode: '0600' }, fact: fileFact(CONTENT), status: 'change',
    apply: [`chmod 600 -- ${DEST}`], rollback: [`chmod 00640 -- ${DEST}`], commit: [],
  },
  {
    name: 'a new file: 0644 unless asked, rollback removes it',
    args: { dest: '/etc/nova/new.conf', content: CONTENT, owner: 'nova' }, fact: 'missing\n/etc/nova/new.conf\n', status: 'change',
    apply: [/^t=\$\(mktemp -- \/etc\/nova\/\.new\.conf\.runbook-XXXXXX\) && if cat > "\$t" && chmod 644 "\$t" && chown nova -- "\$t" && mv -f -- "\$t" \/etc\/nova\/new\.conf; then/],
    rollback: ['rm -f -- /etc/nova/new.conf'],
  },
  {
    name: 'a new file in missing directories: created, removed again on rollback',
    args: { dest: '/srv/a/b/f', content: 'x' }, fact: 'missing\n/srv/a\n', status: 'change',
    apply: [/^mkdir -p -- \/srv\/a\/b && t=\$\(mktemp/], rollback: ['rm -f -- /srv/a/b/f && rmdir -- /srv/a/b /srv/a'],
  },
  { name: 'a directory at dest: refused by the check', args: { dest: '/etc/nova', content: 'x' }, fact: 'directory\n755 root root 0 0\n', status: 'failed' },
  { name: 'a symlink at dest: refused by the check', args: { dest: DEST, content: 'x' }, fact: 'link\n/elsewhere\n', status: 'failed' },
];

describe('copy: facts in, commands out', () => {
  it.each(table)('$name', async (c) => {
    const host = fakeHost([{ command: pathFactCommand(c.args.dest, true).text, stdout: c.fact }, ...succeeding(c.apply, c.rollback, c.commit)]);
    const checked = await copyModule.check(host.ctx, c.args);
    expect(host.commands).toEqual([pathFactCommand(c.args.dest, true).text]);
    expect(checked.status).toBe(c.status);
    if (checked.status !== 'change') return;
    const run = async (phase: () => Promise<unknown>): Promise<string[]> => {
      const from = host.commands.length;
      await phase();
      return host.commands.slice(from);
    };
    const applied = await run(() => copyModule.apply(host.ctx, c.args, checked.prior));
    if (c.apply) {
      expect(applied).toHaveLength(c.apply.length);
      c.apply.forEach((want, i) => (typeof want === 'string' ? expect(applied[i]).toBe(want) : expect(applied[i]).toMatch(want)));
    }
    if (c.rollback) expect(await run(() => copyModule.rollback!(host.ctx, c.args, checked.prior))).toEqual(c.rollback);
    if (c.commit) expect(await run(() => copyModule.commit!(host.ctx, c.args, checked.prior))).toEqual(c.commit);
  });
});

describe('copy content', () => {
  it('goes through stdin only, never on a command line', async () => {
    const host = fakeHost([{ command: pathFactCommand(DEST, true).text, stdout: fileFact('old\n') }, ...succeeding([/^if \[ ! -e /])]);
    const checked = await copyModule.check(host.ctx, { dest: DEST, content: CONTENT });
    if (checked.status !== 'change') throw new Error('expected a change');
    await copyModule.apply(host.ctx, { dest: DEST, content: CONTENT }, checked.prior);
    for (const command of host.commands) expect(command).not.toContain('s3cret');
    const writes = host.commands.map((c, i) => [c, host.stdins[i]] as const).filter(([c]) => c.includes(WRITE));
    expect(writes.map(([, stdin]) => stdin)).toEqual([CONTENT]);
  });

  it('compares the sha256 of UTF-8 text as sha256sum does', () => {
    expect(digest('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    // printf 'é\n' | sha256sum
    expect(digest('é\n')).toBe('edd3a863872a04239eb29ad4bc12fc892b3d4ae57cc7e786a3697816f8e141c2');
  });

  it('a failed write is data: ok false', async () => {
    const host = fakeHost([{ command: /^t=/, exitCode: 1 }]);
    const outcome = await copyModule.apply(host.ctx, { dest: DEST, content: 'x' }, { before: { type: 'missing' }, contentChanged: true });
    expect(outcome).toMatchObject({ ok: false, commands: [{ exitCode: 1 }] });
  });
});
