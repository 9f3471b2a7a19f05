// Benchmark 4: what the control node pays for runbook at many hosts: peak RSS and CPU seconds
// of the `runbook exec` process, converged re-run of converge-30 (first the state, untimed).
import { runbookContender } from './lib/contenders.mjs';
import { alternate, fmtSummary, summary } from './lib/measure.mjs';

/** @param {{ hosts: number, reps: number, log: (s: string) => void }} options */
export async function benchControl(lab, { hosts: n, reps, log }) {
  const hosts = lab.hosts.filter((h) => h.role === 'compute').slice(0, n);
  const runbook = runbookContender(lab, hosts);
  log(`control node cost, N=${hosts.length}: converging first`);
  const first = await runbook.run();
  if (first.code !== 0) throw new Error(`bench: runbook failed (exit ${first.code}): ${first.stdout.slice(-2000)}`);
  const samples = (await alternate([runbook], reps, log)).runbook;
  const wall = summary(samples);
  const rss = summary(samples, 'rssMb');
  const cpu = summary(samples, 'cpuS');
  const mb = (v) => `${v.toFixed(0)} MB`;
  const s = (v) => `${v.toFixed(2)} s`;
  const table = [
    `| runbook exec converge-30, ${hosts.length} hosts, converged | time | peak RSS | CPU (user+sys) |`,
    '| --- | ---: | ---: | ---: |',
    `| control node | ${fmtSummary(wall)} | ${fmtSummary(rss, mb)} | ${fmtSummary(cpu, s)} |`,
  ].join('\n');
  return { hosts: hosts.length, wall, rss, cpu, table };
}
