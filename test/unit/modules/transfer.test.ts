import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandResult, Connection, StreamingCommand } from '../../../src/connection/connection.js';
import { sha256Command } from '../../../src/modules/remote.js';
import { statCommand, transferModule, type TransferArgs } from '../../../src/modules/transfer.js';
import { type Answer, fakeHost } from './fake-host.js';

// transfer, pyinfra style: what `stat` and sha256 say on both hosts in, the commands out. The
// bytes go through fake streams here; test/integration/modules/transfer.test.ts sends real ones.
const CONTENT = 'dump\n';
const SUM = createHash('sha256').update(CONTENT).digest('hex');
const args: TransferArgs = { src: '/var/tmp/nova.sql.gz', dest: '/srv/in/nova.sql.gz', to: 'stor1', checksum: 'sha256' };
const TEMP = '/srv/in/.nova.sql.gz.runbook-r1-step.part';
const ASIDE = '/srv/in/.nova.sql.gz.runbook-r1-step';
const STAT_FILE = 'file 640 5 2049:77 2026-11-20 02:00:00.1 +0000 2026-11-20 02:00:00.1 +0000\n';
const RECEIVE = `mkdir -p -- /srv/in && umask 077 && cat > ${TEMP} && ${sha256Command(TEMP).text}`;
const SETTLE = `chmod 640 -- ${TEMP} && mv -f -- ${TEMP} ${args.dest}`;

const finished = (command: string): CommandResult => ({ command, exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false, aborted: false });

/** The receiving host: scripted answers, and a stream that takes the bytes and answers their sha256. */
function receiver(answers: Answer[]) {
  const host = fakeHost(answers);
  const connection: Connection = {
    ...host.ctx.connection,
    host: 'stor1',
    stream: async (command): Promise<StreamingCommand> => {
      host.commands.push(command);
      const stdin = new PassThrough();
      const stdout = new PassThrough();
      const hash = createHash('sha256');
      stdin.on('data', (chunk: Buffer) => hash.update(chunk));
      const done = new Promise<CommandResult>((resolve) =>
        stdin.on('finish', () => {
          stdout.end(`${hash.digest('hex')} *stdin\n`);
          resolve(finished(command));
        }),
      );
      return { stdin, stdout, done };
    },
  };
  return { ...host, connection };
}

/** The step's host: scripted answers, a stream that sends CONTENT, and the receiver as `to`. */
function sender(answers: Answer[], to: Connection) {
  const host = fakeHost(answers);
  const connection: Connection = {
    ...host.ctx.connection,
    stream: async (command): Promise<StreamingCommand> => {
      host.commands.push(command);
      return { stdin: new PassThrough(), stdout: Readable.from([Buffer.from(CONTENT)]), done: Promise.resolve(finished(command)) };
    },
  };
  return { ...host, ctx: { ...host.ctx, connection, connectionTo: async (name: string) => (name === 'stor1' ? to : Promise.reject(new Error(name))) } };
}

describe('transfer check', () => {
  it('dest with the same size, mode and sha256 is done: stat on both hosts, then a hash on each', async () => {
    const to = receiver([{ command: statCommand(args.dest).text, stdout: STAT_FILE }, { command: sha256Command(args.dest).text, stdout: `${SUM} *stdin\n` }]);
    const from = sender([{ command: statCommand(args.src).text, stdout: STAT_FILE }, { command: sha256Command(args.src).text, stdout: `${SUM} *stdin\n` }], to.connection);
    expect(await transferModule.check(from.ctx, args)).toMatchObject({ status: 'ok' });
    expect(from.commands).toEqual([statCommand(args.src).text, sha256Command(args.src).text]);
    expect(to.commands).toEqual([statCommand(args.dest).text, sha256Command(args.dest).text]);
  });

  it('a missing dest is a change without reading any content', async () => {
    const to = receiver([{ command: statCommand(args.dest).text, stdout: 'missing\n' }]);
    const from = sender([{ command: statCommand(args.src).text, stdout: STAT_FILE }], to.connection);
    expect(await transferModule.check(from.ctx, args)).toMatchObject({ status: 'change', prior: { before: { exists: false }, source: { exists: true, size: 5, mode: '640' } } });
    expect(from.commands).toEqual([statCommand(args.src).text]);
  });
});

describe('transfer apply, rollback, commit', () => {
  const source = { exists: true, mode: '640', size: 5, identity: '2049:77 2026-11-20 02:00:00.1 +0000 2026-11-20 02:00:00.1 +0000' };

  it('a new dest: streamed into a temporary name, hashed there, given the source mode and renamed; rollback removes it', async () => {
    const to = receiver([{ command: SETTLE }, { command: `rm -f -- ${TEMP}; rm -f -- ${args.dest}` }]);
    const from = sender([{ command: statCommand(args.src).text, stdout: STAT_FILE }], to.connection);
    const prior = { source, before: { exists: false } };
    expect(await transferModule.apply(from.ctx, args, prior)).toMatchObject({ ok: true });
    expect(await transferModule.rollback!(from.ctx, args, prior)).toMatchObject({ ok: true });
    expect(await transferModule.commit!(from.ctx, args, prior)).toEqual({ ok: true, commands: [] });
    expect(from.commands).toEqual([`exec cat -- ${args.src}`, statCommand(args.src).text]);
    expect(to.commands).toEqual([RECEIVE, SETTLE, `rm -f -- ${TEMP}; rm -f -- ${args.dest}`]);
  });

  it('an existing dest is kept as a hard link first, and removed on commit', async () => {
    const keep = `ln -f -- ${args.dest} ${ASIDE} 2>/dev/null || cp -p -- ${args.dest} ${ASIDE}`;
    const to = receiver([{ command: keep }, { command: SETTLE }, { command: `rm -f -- ${ASIDE}` }]);
    const from = sender([{ command: statCommand(args.src).text, stdout: STAT_FILE }], to.connection);
    const prior = { source, before: { exists: true, mode: '600', size: 9, identity: 'x' } };
    await transferModule.apply(from.ctx, args, prior);
    await transferModule.commit!(from.ctx, args, prior);
    expect(to.commands).toEqual([keep, RECEIVE, SETTLE, `rm -f -- ${ASIDE}`]);
  });

  it('a source that changed while it was sent is refused: the temporary file goes, dest stays', async () => {
    const to = receiver([{ command: `rm -f -- ${TEMP}` }]);
    const from = sender([{ command: statCommand(args.src).text, stdout: STAT_FILE.replace('2049:77', '2049:78') }], to.connection);
    const applied = await transferModule.apply(from.ctx, args, { source, before: { exists: false } });
    expect(applied).toMatchObject({ ok: false, message: expect.stringMatching(/^\/var\/tmp\/nova\.sql\.gz changed on h1 while it was sent \(stat at the check: .*\); \/srv\/in\/nova\.sql\.gz was not replaced$/) });
    expect(to.commands).toEqual([RECEIVE, `rm -f -- ${TEMP}`]);
  });

  it('a source that is not a regular file is refused before anything is sent', async () => {
    const to = receiver([]);
    const from = sender([], to.connection);
    expect(await transferModule.apply(from.ctx, args, { source: { exists: true, notAFile: true }, before: { exists: false } })).toMatchObject({
      ok: false,
      message: '/var/tmp/nova.sql.gz is not a regular file on h1',
    });
    expect([...from.commands, ...to.commands]).toEqual([]);
  });
});
