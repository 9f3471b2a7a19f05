#!/usr/bin/env node
// npm run bench [-- --quick] [--only converge,transfer,control,startup] [--sizes 1,10,30]
//                [--reps N] [--ansible-reps N] [--no-ansible] [--no-first] [--transfer-mib N]
//                [--control-hosts N] [--keep-lab]
//        npm run bench -- --only db [--quick] [--db-size 1G] [--reps N]   (its own lab: see README)
// Brings up its own lab in bench/.work/lab, runs the benchmarks, prints markdown tables and
// writes them with the raw numbers to bench/.work/results/. See bench/README.md.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchControl } from './control.mjs';
import { benchConverge } from './converge.mjs';
import { benchDb } from './db.mjs';
import { ansibleVersion, ensureAnsible } from './lib/contenders.mjs';
import { DB_LAB_DIR, LAB_DIR, benchDbLab, benchLab, benchLabDown } from './lib/lab.mjs';
import { CLI, WORK } from './lib/paths.mjs';
import { benchStartup } from './startup.mjs';
import { benchTransfer } from './transfer.mjs';

const ALL = ['startup', 'converge', 'transfer', 'control'];
/** Only when asked for (--only db): a lab of its own, seeded at --db-size (1G takes a minute or more to seed). */
const OPTIONAL = ['db'];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    sizes: { type: 'string' },
    reps: { type: 'string' },
    'no-ansible': { type: 'boolean', default: false },
    'ansible-reps': { type: 'string' },
    'no-first': { type: 'boolean', default: false },
    'transfer-mib': { type: 'string' },
    'control-hosts': { type: 'string' },
    'keep-lab': { type: 'boolean', default: false },
    'db-size': { type: 'string' },
  },
});

const quick = values.quick;
const only = values.only ? values.only.split(',') : ALL;
const sizes = (values.sizes ?? (quick ? '1,10' : '1,10,30,60')).split(',').map(Number);
const reps = Number(values.reps ?? (quick ? 2 : 3));
const controlHosts = Number(values['control-hosts'] ?? (quick ? 30 : 60));
const transferMiB = Number(values['transfer-mib'] ?? (quick ? 256 : 1024));
const ansible = !values['no-ansible'];
const dbSize = values['db-size'] ?? (quick ? '256M' : '1G');
const unknown = only.filter((b) => !ALL.includes(b) && !OPTIONAL.includes(b));
if (unknown.length > 0) throw new Error(`bench: no benchmark ${unknown.join(', ')} (${[...ALL, ...OPTIONAL].join(', ')})`);
/** Ansible takes minutes per run at 30 and 60 hosts: it may run in fewer repetitions. */
const ansibleReps = Number(values['ansible-reps'] ?? Math.min(reps, 2));
const log = (s) => console.error(s);

if (!existsSync(CLI)) throw new Error('bench: build first (npm run build)');

const sh = (cmd) => {
  try {
    return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
};

const machine = {
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model ?? '?',
  cores: cpus().length,
  memGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  os: sh('. /etc/os-release && echo "$PRETTY_NAME"'),
  openssh: sh('ssh -V 2>&1'),
  commit: sh('git rev-parse --short HEAD'),
  load: sh('cat /proc/loadavg'),
};

const sections = [];
const results = { machine, options: { quick, only, sizes, reps, ansibleReps, controlHosts, transferMiB, ansible, dbSize }, benchmarks: {} };

const needLab = only.some((b) => ALL.includes(b) && b !== 'startup');
const computes = Math.max(only.includes('converge') ? Math.max(...sizes) : 0, only.includes('control') ? controlHosts : 0, 2);

try {
  if (only.includes('startup')) {
    log('start-up');
    const r = await benchStartup({ reps: quick ? 5 : 10, log });
    results.benchmarks.startup = r.rows;
    sections.push(`### Start-up (whole process, ${quick ? 5 : 10} runs)\n\n${r.table}`);
  }
  if (needLab) {
    if (ansible && only.includes('converge')) ensureAnsible();
    machine.ansible = ansible ? ansibleVersion() : 'not run';
    const lab = await benchLab(computes);
    log(`lab: up with ${lab.hosts.filter((h) => h.role === 'compute').length} compute hosts in ${LAB_DIR}`);
    if (only.includes('converge')) {
      const r = await benchConverge(lab, { sizes, reps, first: !values['no-first'], ansible, ansibleReps, log });
      results.benchmarks.converge = r.rows;
      const a = ansibleReps < reps ? `; Ansible [n×] ran in the first ${ansibleReps} repetitions only` : '';
      sections.push(`### Converge-30: 30 steps per host (median of ${reps}, min–max${a})\n\n${r.table}`);
    }
    if (only.includes('transfer')) {
      const r = await benchTransfer(lab, { sizeMiB: transferMiB, reps, log });
      results.benchmarks.transfer = r.rows;
      sections.push(`### Transfer (median of ${reps})\n\n${r.table}`);
    }
    if (only.includes('control')) {
      const r = await benchControl(lab, { hosts: controlHosts, reps, log });
      results.benchmarks.control = { hosts: r.hosts, wall: r.wall, rss: r.rss, cpu: r.cpu };
      sections.push(`### Control node at ${r.hosts} hosts (median of ${reps}, min–max)\n\n${r.table}`);
    }
  }
  if (only.includes('db')) {
    log(`db: lab up in ${DB_LAB_DIR}, databases seeded at ${dbSize}`);
    const lab = await benchDbLab(dbSize);
    const { RUNBOOK_DB_USER } = await import('../dist/lab/api.js');
    try {
      const r = await benchDb(lab, { reps, log, password: RUNBOOK_DB_USER.password });
      results.benchmarks.db = { dbSize, databases: r.databases, innodb: r.innodb, sizes: r.sizes, backup: r.backup, restore: r.restore };
      sections.push(`### Database backup and restore, --db-size ${dbSize}\n\n${r.table}`);
    } finally {
      if (!values['keep-lab']) await benchLabDown(DB_LAB_DIR);
    }
  }
} finally {
  if (needLab && !values['keep-lab']) {
    log('lab: down');
    await benchLabDown();
  }
}

const header = [
  `Measured ${machine.date} on ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, ${machine.os},`,
  `Node ${machine.node}, ${machine.openssh}, ${machine.ansible ?? 'Ansible not run'}; commit ${machine.commit};`,
  `load average at start ${machine.load}.${quick ? ' Quick run.' : ''}`,
].join('\n');
const markdown = `${header}\n\n${sections.join('\n\n')}\n`;
const out = join(WORK, 'results');
mkdirSync(out, { recursive: true });
const stamp = machine.date.replace(/[:.]/g, '-');
writeFileSync(join(out, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(out, `${stamp}.md`), markdown);
writeFileSync(join(out, 'latest.md'), markdown);
console.log(markdown);
log(`results: ${join(out, `${stamp}.md`)} (and .json)`);
