// Benchmarks 1 and 2: the 30-step runbook converged (nothing changes) and from a clean state
// (everything changes), runbook vs Ansible vs plain OpenSSH, on N compute hosts.
import { ansibleContender, plainSshContender, runbookContender } from './lib/contenders.mjs';
import { onHosts } from './lib/lab.mjs';
import { alternate, fmtMs, fmtSummary, summary } from './lib/measure.mjs';
import { CLEAN_COMMAND, STATE_COMMAND } from './lib/plain-steps.mjs';

const STEPS = 30;

/**
 * @param {object} lab the bench lab (lab/api.ts LabHandle)
 * @param {{ sizes: number[], reps: number, first: boolean, ansible: boolean, ansibleReps?: number, log: (s: string) => void }} options
 */
export async function benchConverge(lab, { sizes, reps, first, ansible, ansibleReps = reps, log }) {
  const computes = lab.hosts.filter((h) => h.role === 'compute');
  const rows = [];
  for (const n of sizes) {
    const hosts = computes.slice(0, n);
    if (hosts.length < n) throw new Error(`bench: the lab has ${computes.length} compute hosts, ${n} asked`);
    const contenders = [runbookContender(lab, hosts), ...(ansible ? [{ ...ansibleContender(lab, hosts), maxReps: ansibleReps }] : []), plainSshContender(lab, hosts)];

    if (first) {
      log(`first run, N=${n}: each contender from a clean state`);
      const clean = () => onHosts(lab, hosts, CLEAN_COMMAND).then(() => undefined);
      const samples = await alternate(contenders.map((c) => ({ ...c, before: clean })), reps, log);
      rows.push(row('first run', n, samples));
    }

    log(`converged re-run, N=${n}`);
    await converge(lab, hosts, contenders, log);
    const samples = await alternate(contenders, reps, log);
    rows.push(row('converged', n, samples));
  }
  return { rows, table: table(rows) };
}

/** Converges the hosts with each contender in turn and checks they all leave the same state. */
async function converge(lab, hosts, contenders, log) {
  const states = new Map();
  for (const c of contenders) {
    await onHosts(lab, hosts.slice(0, 1), CLEAN_COMMAND);
    const r = await c.run();
    if (r.code !== 0) throw new Error(`bench: ${c.name} failed (exit ${r.code}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
    const [state] = await onHosts(lab, hosts.slice(0, 1), STATE_COMMAND);
    states.set(c.name, state.stdout);
  }
  const distinct = new Set(states.values());
  if (distinct.size !== 1) throw new Error(`bench: the contenders leave different states on ${hosts[0].name}:\n${[...states].map(([k, v]) => `${k}:\n${v}`).join('\n')}`);
  log(`  all contenders leave the same state on ${hosts[0].name}`);
}

function row(kind, n, samples) {
  const s = Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, { wall: summary(list), rss: summary(list, 'rssMb'), cpu: summary(list, 'cpuS'), failed: list.filter((x) => x.code !== 0).length }]));
  return { kind, n, steps: STEPS, contenders: s };
}

const ratio = (a, b) => (a && b ? `${(a.wall.median / b.wall.median).toFixed(2)}×` : '–');

function table(rows) {
  const lines = [
    '| run | N | runbook | Ansible | OpenSSH | Ansible / runbook | runbook / OpenSSH | runbook per step×host | runbook peak RSS | runbook CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const { runbook, ansible, openssh } = r.contenders;
    const cell = (c) => (c ? fmtSummary(c.wall) + (c.wall.n !== runbook.wall.n ? ` [${c.wall.n}×]` : '') + (c.failed ? ` (${c.failed} failed)` : '') : '–');
    lines.push(
      `| ${r.kind} | ${r.n} | ${cell(runbook)} | ${cell(ansible)} | ${cell(openssh)} | ${ratio(ansible, runbook)} | ${ratio(runbook, openssh)} | ${fmtMs(runbook.wall.median / (r.steps * r.n))} | ${runbook.rss.median.toFixed(0)} MB | ${runbook.cpu.median.toFixed(2)} s |`,
    );
  }
  return lines.join('\n');
}
