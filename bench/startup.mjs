// Benchmark 5: start-up, whole process: `runbook --help` against `node -e 0`, and
// `runbook validate` of the shipped runbooks and inventories.
import { alternate, fmtSummary, measure, summary } from './lib/measure.mjs';
import { CLI, ROOT } from './lib/paths.mjs';

/** @param {{ reps: number, log: (s: string) => void }} options */
export async function benchStartup({ reps, log }) {
  const node = (args) => () => measure(process.execPath, args, { cwd: ROOT });
  const samples = await alternate(
    [
      { name: 'node -e 0', run: node(['-e', '0']) },
      { name: 'runbook --help', run: node([CLI, '--help']) },
      { name: 'runbook validate', run: node([CLI, 'validate']) },
    ],
    reps,
    log,
  );
  const rows = Object.entries(samples).map(([name, list]) => ({ name, wall: summary(list), rss: summary(list, 'rssMb'), exit: list[0].code }));
  const base = rows[0].wall.median;
  const table = [
    '| command | time | × node -e 0 | peak RSS | exit |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| \`${r.name}\` | ${fmtSummary(r.wall)} | ${(r.wall.median / base).toFixed(2)}× | ${r.rss.median.toFixed(0)} MB | ${r.exit} |`),
  ].join('\n');
  return { rows, table };
}
