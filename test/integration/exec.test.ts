import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli, waitForOutput } from '../support/cli.js';
import { startSshd, type SshdFixture } from '../support/sshd.js';
import { snapshot } from '../support/tree.js';

// One real sshd per host on 127.0.0.1, shared by every test of this file. The hosts share this
// machine's filesystem, so each host works under its own folder (host var `root`).
const HOSTS = ['h1', 'h2', 'h3'];
let sshds: SshdFixture[] = [];
let work: string;
let hostsDir: string;

const CHANGE_THREE = `
apiVersion: runbook/v1
name: change-three
version: 1.0.0
description: Changes a file and a line on every host; the last step can be made to fail on one host.
hosts: all
params:
  fail_on: { type: string, default: none }
steps:
  - id: write-config
    name: Write the new config
    copy: { dest: "{{host.vars.root}}/app.conf", content: "new = true\\n" }
  - id: bump-version
    name: Record the new version
    run: sed -i 's/^version=1$/version=2/' {{host.vars.root}}/version
    check: grep -qx version=2 {{host.vars.root}}/version
    rollback: sed -i 's/^version=2$/version=1/' {{host.vars.root}}/version
  - id: health
    name: Health check
    run: test {{host.name}} != {{params.fail_on}}
    check: test {{host.name}} != {{params.fail_on}}
    irreversible: read-only probe
`;

const ECHO_PARAM = `
apiVersion: runbook/v1
name: echo-param
version: 1.0.0
description: Writes a param to a file.
hosts: h1
params:
  value: { type: string }
steps:
  - id: write
    run: printf '%s' {{params.value}} > {{host.vars.root}}/param
    rollback: rm -f {{host.vars.root}}/param
`;

const LONG_STEP = (seconds: number, timeout?: string) => `
apiVersion: runbook/v1
name: long-step
version: 1.0.0
description: A change, then a step that takes long.
hosts: h1
steps:
  - id: write-config
    copy: { dest: "{{host.vars.root}}/app.conf", content: "changed\\n" }
  - id: long
    run: sleep ${seconds}; echo done
    rollback: "true"
${timeout ? `    timeout: ${timeout}\n` : ''}`;

const CONFIRM_THEN_FAIL = `
apiVersion: runbook/v1
name: confirm-then-fail
version: 1.0.0
description: A confirmed change, then a step that fails until a flag file exists.
hosts: h1
steps:
  - id: write-config
    confirm: Replace app.conf on h1?
    copy: { dest: "{{host.vars.root}}/app.conf", content: "confirmed\\n" }
  - id: needs-flag
    run: test -f {{host.vars.root}}/flag
    check: test -f {{host.vars.root}}/flag
    irreversible: read-only probe
    on_failure: abort
`;

const USES_SECRET = `
apiVersion: runbook/v1
name: uses-secret
version: 1.0.0
description: Uses a secret in a command that fails and echoes it.
hosts: h1
secrets:
  pw: { env: RB_TEST_PW }
steps:
  - id: leak-attempt
    run: echo "password is {{secrets.pw}}" >&2; exit 3
    irreversible: test step
`;

function inventoryYaml(knownHosts: string): string {
  const hosts = sshds
    .map((s, i) => `    ${HOSTS[i]}: { ansible_host: 127.0.0.1, ansible_port: ${s.port}, ansible_user: root, ansible_ssh_private_key_file: ${s.clientKeyFile}, root: ${join(hostsDir, HOSTS[i]!)} }`)
    .join('\n');
  return `all:\n  vars:\n    runbook_known_hosts: ${knownHosts}\n  hosts:\n${hosts}\n`;
}

async function seedHosts(): Promise<void> {
  await rm(hostsDir, { recursive: true, force: true });
  for (const h of HOSTS) {
    await mkdir(join(hostsDir, h), { recursive: true });
    await writeFile(join(hostsDir, h, 'app.conf'), 'old = true\n', { mode: 0o644 });
    await writeFile(join(hostsDir, h, 'version'), 'name=app\nversion=1\n');
  }
}

const exec = (args: string[]) => runCli(args, { cwd: work });
const remaining = (pattern: string): string => {
  try {
    return execFileSync('pgrep', ['-af', pattern], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

beforeAll(async () => {
  sshds = await Promise.all(HOSTS.map(() => startSshd()));
  work = await mkdtemp(join(tmpdir(), 'runbook-exec-'));
  hostsDir = join(work, 'hosts');
  await mkdir(join(work, 'runbooks'));
  await mkdir(join(work, 'inventory'));
  const knownHosts = join(work, 'known_hosts');
  await writeFile(knownHosts, (await Promise.all(sshds.map((s) => readFile(s.knownHostsFile, 'utf8')))).join(''));
  await writeFile(join(work, 'inventory', 'test.yaml'), inventoryYaml(knownHosts));
  await writeFile(join(work, 'runbooks', 'change-three.yaml'), CHANGE_THREE);
  await writeFile(join(work, 'runbooks', 'echo-param.yaml'), ECHO_PARAM);
  await writeFile(join(work, 'runbooks', 'confirm-then-fail.yaml'), CONFIRM_THEN_FAIL);
  await writeFile(join(work, 'runbooks', 'uses-secret.yaml'), USES_SECRET);
});

afterAll(async () => {
  await Promise.all(sshds.map((s) => s.stop()));
});

beforeEach(seedHosts);

describe('runbook exec over real sshd', () => {
  it('rolls back the files that steps one and two changed when step three fails on the third host', async () => {
    const before = await snapshot(hostsDir);
    const result = await exec(['exec', 'change-three', '-i', 'test', '--param', 'fail_on=h3']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('failed: [h3]');
    expect(result.stdout).toMatch(/rolled-back: \[h1\] write-config/);
    expect(await snapshot(hostsDir)).toEqual(before);
  });

  it('changes everything on the first run and nothing on the second', async () => {
    const first = await exec(['exec', 'change-three', '-i', 'test', '--json']);
    expect(first.code).toBe(0);
    expect(await readFile(join(hostsDir, 'h2', 'app.conf'), 'utf8')).toBe('new = true\n');
    const converged = await snapshot(hostsDir);
    const second = await exec(['exec', 'change-three', '-i', 'test', '--json']);
    expect(second.code).toBe(0);
    const statuses = second.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.type === 'task-finished').map((e) => e.result.status);
    expect(statuses).toHaveLength(9);
    expect(new Set(statuses)).toEqual(new Set(['ok']));
    expect(await snapshot(hostsDir)).toEqual(converged);
  });

  it('changes nothing in check mode and says what would change', async () => {
    const before = await snapshot(hostsDir);
    const result = await exec(['plan', 'change-three', '-i', 'test']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('would-change: [h1]');
    expect(await snapshot(hostsDir)).toEqual(before);
  });

  it('passes a param with shell metacharacters as one argument', async () => {
    const pwned = join(work, 'pwned');
    const result = await exec(['exec', 'echo-param', '-i', 'test', '--param', `value=x; touch ${pwned}`]);
    expect(result.code).toBe(0);
    expect(await readFile(join(hostsDir, 'h1', 'param'), 'utf8')).toBe(`x; touch ${pwned}`);
    expect(existsSync(pwned)).toBe(false);
  });

  it('journals the run with checksums and without secrets', async () => {
    const result = await exec(['exec', 'echo-param', '-i', 'test', '--param', 'value=hello']);
    const journalLine = result.stderr.split('\n').find((l) => l.startsWith('journal: '));
    const events = (await readFile(journalLine!.slice('journal: '.length), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: 'run-started', runbook: { name: 'echo-param', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }, inventory: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }, params: { value: 'hello' } });
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', outcome: 'succeeded', exitCode: 0 });
  });

  it('refuses a changed host key before any command runs', async () => {
    const forged = join(work, 'known_hosts_forged');
    const other = await startSshd();
    try {
      // The right address and port, another server's key: what a man in the middle presents.
      const otherKey = (await readFile(other.knownHostsFile, 'utf8')).trim().split(/\s+/).slice(1).join(' ');
      await writeFile(forged, `[127.0.0.1]:${sshds[0]!.port} ${otherKey}\n` + (await readFile(join(work, 'known_hosts'), 'utf8')).split('\n').slice(1).join('\n'));
      await writeFile(join(work, 'inventory', 'forged.yaml'), inventoryYaml(forged));
      const result = await exec(['exec', 'change-three', '-i', 'forged']);
      expect(result.code).toBe(4);
      expect(result.stdout + result.stderr).toMatch(/host key/i);
      expect(await readFile(join(hostsDir, 'h2', 'app.conf'), 'utf8')).toBe('old = true\n');
    } finally {
      await other.stop();
    }
  });

  it('reports a runbook error alone (exit 2), though the connections opened meanwhile found a host down', async () => {
    // exec starts connecting to the hosts the runbook names while it validates the runbook.
    const down = `    down: { ansible_host: 127.0.0.1, ansible_port: 1, ansible_user: root, ansible_ssh_private_key_file: ${sshds[0]!.clientKeyFile} }\n`;
    await writeFile(join(work, 'inventory', 'with-down.yaml'), inventoryYaml(join(work, 'known_hosts')) + down);
    await writeFile(join(work, 'runbooks', 'broken.yaml'), 'apiVersion: runbook/v1\nname: broken\nversion: 1.0.0\ndescription: A typo.\nhosts: all\nsteps:\n  - id: typo\n    rnu: echo hi\n');
    const broken = await exec(['exec', 'broken', '-i', 'with-down']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('nothing was run');
    expect(broken.stdout + broken.stderr).not.toMatch(/down|unreachable|ECONNREFUSED/);
    // The same host down, once the runbook is valid: reported as before, nothing changed.
    const unreachable = await exec(['exec', 'change-three', '-i', 'with-down']);
    expect(unreachable.code).toBe(4);
    expect(unreachable.stdout + unreachable.stderr).toMatch(/down.*ECONNREFUSED/);
    expect(await readFile(join(hostsDir, 'h1', 'app.conf'), 'utf8')).toBe('old = true\n');
    // A runbook that does not need the host: nothing about it.
    const fine = await exec(['exec', 'echo-param', '-i', 'with-down', '--param', 'value=ok']);
    expect(fine.code).toBe(0);
    expect(fine.stdout + fine.stderr).not.toMatch(/ECONNREFUSED/);
  });

  it('rolls back and exits 130 on Ctrl-C during a long step, leaving no process behind', async () => {
    await writeFile(join(work, 'runbooks', 'long-step.yaml'), LONG_STEP(4711));
    const run = startCli(['exec', 'long-step', '-i', 'test'], { cwd: work });
    await waitForOutput(run.output, 'STEP [long]');
    await new Promise((r) => setTimeout(r, 500));
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(await readFile(join(hostsDir, 'h1', 'app.conf'), 'utf8')).toBe('old = true\n');
    expect(remaining('sleep 4711')).toBe('');
  });

  it('kills a timed-out step on the host and rolls back', async () => {
    await writeFile(join(work, 'runbooks', 'long-step.yaml'), LONG_STEP(4712, '1s'));
    const result = await exec(['exec', 'long-step', '-i', 'test']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('timed out');
    expect(remaining('sleep 4712')).toBe('');
    expect(await readFile(join(hostsDir, 'h1', 'app.conf'), 'utf8')).toBe('old = true\n');
  });

  it('refuses a step that asks for confirmation without --yes or a terminal, changing nothing', async () => {
    const result = await exec(['exec', 'confirm-then-fail', '-i', 'test']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("step 'write-config' asks \"Replace app.conf on h1?\": pass --yes");
    expect(await readFile(join(hostsDir, 'h1', 'app.conf'), 'utf8')).toBe('old = true\n');
  });

  it('skips the steps before --start-at', async () => {
    const result = await exec(['exec', 'change-three', '-i', 'test', '--start-at', 'bump-version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('STEP [write-config] skipped: before --start-at bump-version');
    expect(await readFile(join(hostsDir, 'h1', 'app.conf'), 'utf8')).toBe('old = true\n');
    expect(await readFile(join(hostsDir, 'h1', 'version'), 'utf8')).toBe('name=app\nversion=2\n');
  });

  it('resumes a run left in place by on_failure: abort at its first unfinished step', async () => {
    const failed = await exec(['exec', 'confirm-then-fail', '-i', 'test', '--yes']);
    expect(failed.code).toBe(1);
    expect(await readFile(join(hostsDir, 'h1', 'app.conf'), 'utf8')).toBe('confirmed\n');
    const runId = /runs\/(.+)\.jsonl/.exec(failed.stderr)![1]!;
    await writeFile(join(hostsDir, 'h1', 'flag'), '');
    const resumed = await exec(['exec', '--resume', runId, '-i', 'test', '--yes']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('STEP [write-config] skipped: before --start-at needs-flag');
    expect(resumed.stdout).toContain('ok: [h1]');
  });

  it('refuses a second run on the same inventory while the first holds the lock', async () => {
    await writeFile(join(work, 'runbooks', 'long-step.yaml'), LONG_STEP(4713));
    const first = startCli(['exec', 'long-step', '-i', 'test'], { cwd: work });
    try {
      await waitForOutput(first.output, 'STEP [long]');
      const second = await exec(['exec', 'echo-param', '-i', 'test', '--param', 'value=x']);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/is locked by run \S+ \(long-step\)/);
      expect(existsSync(join(hostsDir, 'h1', 'param'))).toBe(false);
    } finally {
      first.child.kill('SIGINT');
      expect((await first.done).code).toBe(130);
    }
  });

  it('masks a secret in the output, the error and the journal', async () => {
    const secret = 'Zq9-very-secret-Zq9';
    const result = await runCli(['exec', 'uses-secret', '-i', 'test'], { cwd: work, env: { RB_TEST_PW: secret } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('password is ********');
    const journal = await readFile(/journal: (.+)/.exec(result.stderr)![1]!, 'utf8');
    expect(journal).toContain('********');
    for (const text of [result.stdout, result.stderr, journal]) expect(text).not.toContain(secret);
  });
});
