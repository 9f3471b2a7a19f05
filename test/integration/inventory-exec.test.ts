import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startSshd, type SshdFixture } from '../support/sshd.js';

// An Ansible inventory as operators keep one, run against real sshd: an INI file with a host
// range and the ansible_ssh_* names, host_vars/ and a vault-encrypted group_vars/all.yml beside
// it, a `!vault` value, group_vars/ beside the runbook, and `--limit @retry-file`. The hosts
// share this machine's filesystem, so each works under its own folder (host var `root`).
const HOSTS = ['h1', 'h2', 'h3'];
const VAULT = join(import.meta.dirname, '../fixtures/inventories/ansible-corpus/features/vault');
// What the fixture's vault values decrypt to (ansible-vault wrote them; see its README).
const FILE_SECRET = 'r4bb1t-s3cret';
const VALUE_SECRET = 'S3cr3t-db-pass!';
let sshds: SshdFixture[] = [];
let work: string;

const PROBE = `
apiVersion: runbook/v1
name: probe
version: 1.0.0
description: Writes inventory values, two of them from a vault, into a file on each host.
hosts: all
steps:
  - id: web
    hosts: web
    run: printf '%s %s\\n' {{host.vars.rabbitmq_password}} {{host.vars.probe_label}} > {{host.vars.root}}/probe; echo "wrote {{host.vars.rabbitmq_password}}"
    rollback: rm -f {{host.vars.root}}/probe
  - id: db
    hosts: db
    run: printf '%s\\n' {{host.vars.db_token}} > {{host.vars.root}}/probe; echo "token {{host.vars.db_token}}" >&2
    rollback: rm -f {{host.vars.root}}/probe
`;

/** The `!vault |` block of mysql_root_password in the fixture's hosts.yml, re-indented under `key`. */
async function vaultValue(key: string): Promise<string> {
  const lines = (await readFile(join(VAULT, 'hosts.yml'), 'utf8')).split('\n');
  const start = lines.findIndex((l) => l.includes('mysql_root_password: !vault |'));
  const block = lines.slice(start + 1).filter((_, i, rest) => rest.slice(0, i + 1).every((l) => l.startsWith('        ')));
  return [`${key}: !vault |`, ...block.map((l) => `  ${l.trim()}`)].join('\n');
}

beforeAll(async () => {
  sshds = await Promise.all(HOSTS.map((name) => startSshd({ name })));
  work = await mkdtemp(join(tmpdir(), 'runbook-inventory-'));
  const site = join(work, 'inventory', 'site');
  await mkdir(join(site, 'host_vars'), { recursive: true });
  await mkdir(join(site, 'group_vars'), { recursive: true });
  await mkdir(join(work, 'runbooks', 'group_vars'), { recursive: true });
  const knownHosts = join(work, 'known_hosts');
  await writeFile(knownHosts, (await Promise.all(sshds.map((s) => readFile(s.knownHostsFile, 'utf8')))).join(''));
  await writeFile(
    join(site, 'hosts'),
    [
      '# kolla-style INI: a range, the ansible_ssh_* names, ssh options runbook can do without',
      '[web]',
      'h[1:2] ansible_ssh_user=root',
      '[db]',
      `h3 ansible_ssh_host=127.0.0.1 ansible_ssh_port=${sshds[2]!.port} ansible_ssh_user=root`,
      '[all:vars]',
      `runbook_known_hosts=${knownHosts}`,
      "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o ControlMaster=auto -o ControlPersist=60s'",
      'ansible_python_interpreter=/usr/bin/python3',
      '',
    ].join('\n'),
  );
  for (const [i, name] of HOSTS.entries()) {
    await mkdir(join(work, 'hosts', name), { recursive: true });
    const address = name === 'h3' ? [] : [`ansible_ssh_host: 127.0.0.1`, `ansible_ssh_port: ${sshds[i]!.port}`];
    const token = name === 'h3' ? [await vaultValue('db_token')] : [];
    await writeFile(join(site, 'host_vars', `${name}.yml`), [...address, `ansible_ssh_private_key_file: ${sshds[i]!.clientKeyFile}`, `root: ${join(work, 'hosts', name)}`, ...token, ''].join('\n'));
  }
  await copyFile(join(VAULT, 'group_vars', 'all.yml'), join(site, 'group_vars', 'all.yml'));
  await writeFile(join(work, 'runbooks', 'group_vars', 'web.yml'), 'probe_label: from-the-runbook-folder\n');
  await writeFile(join(work, 'runbooks', 'probe.yaml'), PROBE);
  await writeFile(join(work, 'retry'), 'h1\nh3\n');
});

afterAll(async () => {
  await Promise.all(sshds.map((s) => s.stop()));
});

describe('an Ansible inventory (INI, host_vars, vault) on real hosts', () => {
  it('refuses to run without the vault password, naming the file and line, and changes nothing', async () => {
    const result = await runCli(['exec', 'probe', '-i', 'site', '--state-dir', join(work, 'state')], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(work, 'inventory/site/host_vars/h3.yml')}:3:18: error: this value is vault-encrypted and no vault password was given`);
    expect(result.stderr).toContain(`${join(work, 'inventory/site/group_vars/all.yml')}:1:1: error: this value is vault-encrypted`);
    for (const h of HOSTS) expect(existsSync(join(work, 'hosts', h, 'probe'))).toBe(false);
  });

  it('logs in where the inventory says, uses the decrypted values, honours --limit @file and masks the secrets everywhere', async () => {
    const result = await runCli(['exec', 'probe', '-i', 'site', '--vault-password-file', join(VAULT, 'vault-password'), '--limit', '@retry', '--state-dir', join(work, 'state')], { cwd: work });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await readFile(join(work, 'hosts', 'h1', 'probe'), 'utf8')).toBe(`${FILE_SECRET} from-the-runbook-folder\n`);
    expect(await readFile(join(work, 'hosts', 'h3', 'probe'), 'utf8')).toBe(`${VALUE_SECRET}\n`);
    expect(existsSync(join(work, 'hosts', 'h2', 'probe'))).toBe(false);
    const journal = await readFile(/journal: (.+)/.exec(result.stderr)![1]!, 'utf8');
    expect(journal).toContain('********');
    for (const text of [result.stdout, result.stderr, journal]) {
      expect(text).not.toContain(FILE_SECRET);
      expect(text).not.toContain(VALUE_SECRET);
    }
  });
});
