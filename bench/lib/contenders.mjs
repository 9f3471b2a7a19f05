// The three ways to run the converge-30 work on N hosts: runbook, Ansible, plain OpenSSH.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeMasters, sshOptions } from './lab.mjs';
import { measure } from './measure.mjs';
import { CLI, ROOT, RUNBOOKS, WORK } from './paths.mjs';
import { plainSteps, q } from './plain-steps.mjs';

/** `runbook exec` of a runbook file on these hosts, forks = N, as a user would run it. */
export function runbookContender(lab, hosts, runbook = join(RUNBOOKS, 'converge-30.yaml'), extra = []) {
  const stateDir = join(WORK, 'state');
  return {
    name: 'runbook',
    run: () =>
      measure(process.execPath, [CLI, 'exec', runbook, '--inventory', lab.inventory, '--limit', hosts.map((h) => h.name).join(','), '--forks', String(hosts.length), '--state-dir', stateDir, ...extra], {
        cwd: ROOT,
      }),
  };
}

/** Installs Debian's ansible-core when ansible-playbook is missing (root, apt). */
export function ensureAnsible() {
  if (spawnSync('sh', ['-c', 'command -v ansible-playbook'], { stdio: 'ignore' }).status === 0) return;
  console.error('bench: installing ansible-core from Debian (apt-get) ...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'ansible-core'], { stdio: 'inherit', env });
  if (r.status !== 0) throw new Error('bench: apt-get install ansible-core failed');
}

export function ansibleVersion() {
  return spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '?';
}

/** ansible-playbook with forks = N, pipelining and ControlPersist, its own config and inventory. */
export function ansibleContender(lab, hosts) {
  const dir = join(WORK, 'ansible');
  const cp = join(dir, 'cp');
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  mkdirSync(cp, { recursive: true });
  const sshArgs = sshOptions(lab, ['-o', 'ControlMaster=auto', '-o', 'ControlPersist=60s']).filter((a) => a !== '-F' && a !== '/dev/null' && a !== '-i' && a !== lab.privateKey);
  writeFileSync(
    join(dir, 'ansible.cfg'),
    [
      '[defaults]',
      'host_key_checking = True',
      'gathering = explicit',
      'retry_files_enabled = False',
      'interpreter_python = /usr/bin/python3',
      `local_tmp = ${join(dir, 'tmp')}`,
      `private_key_file = ${lab.privateKey}`,
      'remote_user = root',
      '[ssh_connection]',
      'pipelining = True',
      `ssh_args = ${sshArgs.join(' ')}`,
      `control_path = ${cp}/%%h-%%p`,
      '',
    ].join('\n'),
  );
  const inventory = join(dir, 'hosts.ini');
  writeFileSync(inventory, ['[compute]', ...hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=${h.port}`), ''].join('\n'));
  return {
    name: 'ansible',
    run: async () => {
      try {
        return await measure('ansible-playbook', ['-i', inventory, '--forks', String(hosts.length), join(RUNBOOKS, 'converge-30.ansible.yml')], {
          cwd: dir,
          env: { ...process.env, ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1' },
        });
      } finally {
        await closeMasters(hosts.map((h) => join(cp, `${h.address}-${h.port}`)));
      }
    },
  };
}

/**
 * Plain OpenSSH: one `ssh` per step and host, ControlMaster reuse, hosts in parallel, driven
 * by a shell script (the floor for a tool that starts a process per command).
 */
export function plainSshContender(lab, hosts) {
  const dir = join(WORK, 'plain');
  rmSync(dir, { recursive: true, force: true });
  const cp = join(dir, 'cp');
  mkdirSync(cp, { recursive: true });
  const opts = sshOptions(lab, ['-o', 'ControlMaster=auto', '-o', `ControlPath=${cp}/%h-%p`, '-o', 'ControlPersist=60s']).map(q).join(' ');
  const lines = ['#!/bin/bash', '# one ssh per step and host; hosts in parallel', 'fail=0'];
  for (const host of hosts) {
    const hostDir = join(dir, host.name);
    mkdirSync(hostDir, { recursive: true });
    const steps = plainSteps(host).map((step, i) => {
      const input = join(hostDir, `${String(i + 1).padStart(2, '0')}.in`);
      writeFileSync(input, step.input ?? '');
      return `ssh ${opts} -p ${host.port} root@${host.address} ${q(step.command)} < ${q(input)}`;
    });
    lines.push(`( ${steps.join(' &&\n  ')} ) &`);
  }
  lines.push('for job in $(jobs -p); do wait "$job" || fail=1; done', 'exit $fail', '');
  const script = join(dir, 'run.sh');
  writeFileSync(script, lines.join('\n'));
  return {
    name: 'openssh',
    run: async () => {
      try {
        return await measure('bash', [script]);
      } finally {
        await closeMasters(hosts.map((h) => join(cp, `${h.address}-${h.port}`)));
      }
    },
  };
}

export const hasAnsible = () => existsSync('/usr/bin/ansible-playbook');
