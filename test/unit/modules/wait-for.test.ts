import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sh } from '../../../src/command/command.js';
import { condition, DEFAULT_TIMEOUT_MS, pollCommand, waitForModule, type WaitForArgs } from '../../../src/modules/wait-for.js';
import { fakeHost } from './fake-host.js';

// wait_for, pyinfra style: whether the condition holds in, the commands out.
const PORT = `timeout 2 bash -c 'exec 3<>/dev/tcp/"$1"/"$2"' bash 127.0.0.1 3306 2>/dev/null`;

describe('wait_for conditions', () => {
  it.each<[WaitForArgs, string, string]>([
    [{ port: 3306 }, PORT, 'port 3306 on 127.0.0.1 to be open'],
    [{ port: 3306, state: 'stopped' }, `! ${PORT}`, 'port 3306 on 127.0.0.1 to be closed'],
    [{ port: 5672, host: '10.0.0.5' }, `timeout 2 bash -c 'exec 3<>/dev/tcp/"$1"/"$2"' bash 10.0.0.5 5672 2>/dev/null`, 'port 5672 on 10.0.0.5 to be open'],
    [{ path: '/run/my sock' }, "test -e '/run/my sock'", '/run/my sock to be present'],
    [{ path: '/run/x.pid', state: 'absent' }, '! test -e /run/x.pid', '/run/x.pid to be absent'],
    [{ command: 'mysqladmin ping' }, "sh -c 'mysqladmin ping' >/dev/null 2>&1", '`mysqladmin ping` to succeed'],
    [{ command: 'pgrep nova', state: 'stopped' }, "! sh -c 'pgrep nova' >/dev/null 2>&1", '`pgrep nova` to fail'],
  ])('%j', (args, test, what) => {
    const { test: command, what: words } = condition(args);
    expect({ test: command.text, what: words }).toEqual({ test, what });
  });

  it('passes the port host to bash as an argument, never as its code', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'wait-for-')), 'pwned');
    const hostile = `x/1; touch ${marker}; '`;
    const probe = condition({ port: 1, host: hostile }).test.text;
    expect(probe).toBe(`timeout 2 bash -c 'exec 3<>/dev/tcp/"$1"/"$2"' bash 'x/1; touch ${marker}; '\\''' 1 2>/dev/null`);
    // Run as the host would: the connect fails, and the text after `;` never runs.
    expect(spawnSync('sh', ['-c', probe]).status).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('polls on the host in one command: delay first, then until the deadline', () => {
    expect(pollCommand(sh`true`, 10_500, 2000).text).toBe('sleep 2; end=$(( $(date +%s) + 11 )); while :; do if true; then exit 0; fi; if [ "$(date +%s)" -ge "$end" ]; then exit 1; fi; sleep 0.5; done');
  });
});

describe('wait_for', () => {
  it('a condition that already holds is ok after one poll', async () => {
    const host = fakeHost([{ command: PORT }]);
    expect(await waitForModule.check(host.ctx, { port: 3306 })).toMatchObject({ status: 'ok' });
    expect(host.commands).toEqual([PORT]);
  });

  it('otherwise apply polls with the default timeout and changes nothing', async () => {
    const poll = pollCommand(condition({ port: 3306 }).test, DEFAULT_TIMEOUT_MS, 0).text;
    const host = fakeHost([{ command: poll }, { command: PORT, exitCode: 1 }]);
    expect(await waitForModule.check(host.ctx, { port: 3306 })).toMatchObject({ status: 'change' });
    expect(await waitForModule.apply(host.ctx, { port: 3306 }, null)).toMatchObject({ ok: true, changed: false });
    expect(host.commands).toEqual([PORT, poll]);
  });

  it('a timeout fails the step with what it waited for', async () => {
    const poll = pollCommand(condition({ port: 3306 }).test, 5000, 1500).text;
    const host = fakeHost([{ command: poll, exitCode: 1 }]);
    const applied = await waitForModule.apply(host.ctx, { port: 3306, timeoutMs: 5000, delay: '1500ms' }, null);
    expect(applied).toMatchObject({ ok: false, message: 'timed out after 5 s waiting for port 3306 on 127.0.0.1 to be open' });
  });

  it('loads timeout as milliseconds', () => {
    expect(waitForModule.load({ value: { path: '/x', timeout: '2m' }, step: {}, runbookDir: '/rb' })).toEqual({ path: '/x', timeoutMs: 120_000 });
    expect(waitForModule.load({ value: { path: '/x' }, step: {}, runbookDir: '/rb' })).toEqual({ path: '/x' });
  });

  it('has nothing to roll back', async () => {
    const host = fakeHost();
    expect(await waitForModule.rollback!(host.ctx, { port: 1 }, null)).toEqual({ ok: true, commands: [] });
    expect(host.commands).toEqual([]);
  });
});
