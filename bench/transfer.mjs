// Benchmark 3: a file from cmp1 to cmp2 through the control node, runbook's `transfer` against
// `ssh cmp1 cat SRC | ssh cmp2 'cat > DEST'`: throughput and the control node's peak RSS.
import { join } from 'node:path';
import { runbookContender } from './lib/contenders.mjs';
import { onHosts, sshOptions } from './lib/lab.mjs';
import { alternate, fmtSummary, measure, summary } from './lib/measure.mjs';
import { RUNBOOKS } from './lib/paths.mjs';
import { q } from './lib/plain-steps.mjs';

const DIR = '/var/lib/nova/bench-transfer';
const SRC = `${DIR}/src.img`;
const DEST = `${DIR}/dest.img`;

/** @param {{ sizeMiB: number, reps: number, log: (s: string) => void }} options */
export async function benchTransfer(lab, { sizeMiB, reps, log }) {
  const [from, to] = lab.hosts.filter((h) => h.role === 'compute');
  if (!to) throw new Error('bench: the transfer needs two compute hosts');
  log(`transfer: writing ${sizeMiB} MiB of random data on ${from.name}`);
  await onHosts(lab, [to], `mkdir -p ${DIR} && rm -f ${DIR}/*`);
  await onHosts(lab, [from], `mkdir -p ${DIR} && head -c ${sizeMiB}M /dev/urandom > ${SRC}`);
  const clear = () => onHosts(lab, [to], `rm -f ${DEST} ${DIR}/.*runbook* ${DIR}/*.part`).then(() => undefined);

  const runbook = runbookContender(lab, [from, to], join(RUNBOOKS, 'transfer.yaml'), ['--param', `src=${SRC}`, '--param', `dest=${DEST}`]);
  const ssh = (host) => `ssh ${sshOptions(lab).map(q).join(' ')} -p ${host.port} root@${host.address}`;
  const pipe = `${ssh(from)} ${q(`cat ${SRC}`)} | ${ssh(to)} ${q(`cat > ${DEST}`)}`;
  const samples = await alternate(
    [
      { name: 'runbook', before: clear, run: runbook.run },
      { name: 'ssh a cat \\| ssh b cat', before: clear, run: () => measure('bash', ['-c', pipe]) },
    ],
    reps,
    log,
  );
  const [check] = await onHosts(lab, [to], `stat -c %s ${DEST}`);
  if (Number(check.stdout.trim()) !== sizeMiB * 1024 * 1024) throw new Error(`bench: ${DEST} on ${to.name} has ${check.stdout.trim()} bytes`);
  await onHosts(lab, [from, to], `rm -rf ${DIR}`);

  const mibps = (ms) => (sizeMiB / (ms / 1000)).toFixed(0);
  const rows = Object.entries(samples).map(([name, list]) => {
    const wall = summary(list);
    return { name, wall, rss: summary(list, 'rssMb'), cpu: summary(list, 'cpuS'), mibps: Number(mibps(wall.median)), failed: list.filter((s) => s.code !== 0).length };
  });
  const [rb, base] = rows;
  const table = [
    `| ${sizeMiB} MiB ${from.name} → ${to.name} | time | throughput | control node peak RSS | control node CPU |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.name}${r.failed ? ` (${r.failed} failed)` : ''} | ${fmtSummary(r.wall)} | ${r.mibps} MiB/s | ${r.rss.median.toFixed(0)} MB | ${r.cpu.median.toFixed(2)} s |`),
    `| runbook / ssh | | ${((rb.mibps / base.mibps) * 100).toFixed(0)}% | | |`,
  ].join('\n');
  return { rows, table };
}
