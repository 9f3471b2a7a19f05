// Benchmark 6 (issue #17): backup and restore at database scale, on a lab seeded at --db-size.
// Side by side, alternating, whole processes:
//   backup:  the bare `mysqldump | gzip -n` of every database on the controller (the floor), the
//            same with `zstd -T0 -3`, and `runbook exec backup-db` (dump, compress, checksums,
//            ship to the storage node, sha256 on both ends, manifest);
//            and `runbook exec backup-db-physical` (mariabackup, prepared and checksummed);
//   restore: the bare `gunzip | mysql` import of the floor's files after every database was
//            dropped, `runbook exec recover` (the whole-controller recovery: every database)
//            and `runbook exec recover-db-physical` (the whole server from the physical backup)
//            after the same, and `runbook exec recover-nova` after nova's databases were
//            dropped, each with its steps from the run's journal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sshOptions } from './lib/lab.mjs';
import { alternate, fmtMs, fmtSummary, measure, median, summary } from './lib/measure.mjs';
import { CLI, ROOT, WORK } from './lib/paths.mjs';
import { q } from './lib/plain-steps.mjs';

const FLOOR = '/var/tmp/bench-db';
const DUMP_OPTIONS = '--single-transaction --routines --events --triggers --skip-dump-date';
const NOVA = ['nova', 'nova_api', 'nova_cell0'];

/** @param {{ reps: number, log: (s: string) => void, password: string }} options */
export async function benchDb(lab, { reps, log, password }) {
  const ctl = lab.hosts.find((h) => h.role === 'controller');
  const stor = lab.hosts.find((h) => h.role === 'storage');
  const on = async (host, command) => {
    const r = await lab.ssh(host.name, command);
    if (r.code !== 0) throw new Error(`${host.name}: ${command}: exit ${r.code}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const databases = (await on(ctl, "mysql -N -B -e 'SHOW DATABASES' | grep -v -x -e mysql -e information_schema -e performance_schema -e sys")).split('\n');
  const innodb = Number(await on(ctl, `mysql -N -B -e "SELECT SUM(DATA_LENGTH + INDEX_LENGTH) FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (${databases.map((d) => `'${d}'`).join(',')})"`));
  log(`db: ${databases.length} databases (${databases.join(', ')}), ${(innodb / 2 ** 20).toFixed(0)} MiB in InnoDB`);

  const stateDir = join(WORK, 'state-db');
  const env = { ...process.env, RUNBOOK_DB_PASSWORD: password };
  const runbook = (name, ...params) => () =>
    measure(process.execPath, [CLI, 'exec', name, '--inventory', lab.inventory, '--state-dir', stateDir, '--json', ...params.flatMap((p) => ['--param', p])], { cwd: ROOT, env });
  const onCtl = (script) => () => measure('ssh', [...sshOptions(lab), '-p', String(ctl.port), `root@${ctl.address}`, script]);
  const dumpAll = (dir, compress, ext) =>
    `set -e -o pipefail; rm -rf ${dir}; mkdir -p ${dir}; for db in ${databases.join(' ')}; do mysqldump ${DUMP_OPTIONS} --databases "$db" | ${compress} > ${dir}/"$db".sql.${ext}; done`;
  const drop = (dbs) => () => on(ctl, `mysql -e ${q(dbs.map((d) => `DROP DATABASE IF EXISTS \`${d}\`;`).join(' '))}`).then(() => undefined);
  const noDbBackups = () => on(stor, 'rm -rf /var/backups/openstack/db').then(() => undefined);

  // Setup, not timed: the files backup recover needs, and the floor's gzip files for the bare import.
  log('db: setup (backup-files, a first floor dump)');
  for (const setup of [runbook('backup-files'), onCtl(dumpAll(`${FLOOR}/gz`, 'gzip -n', 'gz'))]) {
    const r = await setup();
    if (r.code !== 0) throw new Error(`bench db setup failed: ${r.stdout.slice(-800)}${r.stderr.slice(-800)}`);
  }

  log('db: backup');
  const backup = await alternate(
    [
      { name: 'floor: mysqldump \\| gzip -n', run: onCtl(dumpAll(`${FLOOR}/gz`, 'gzip -n', 'gz')) },
      { name: 'mysqldump \\| zstd -T0 -3', run: onCtl(dumpAll(`${FLOOR}/zst`, 'zstd -q -T0 -3', 'zst')) },
      { name: 'runbook exec backup-db', before: noDbBackups, run: runbook('backup-db') },
      { name: 'runbook exec backup-db (gzip)', before: noDbBackups, run: runbook('backup-db', 'compression=gzip'), maxReps: 1 },
      { name: 'runbook exec backup-db-physical', run: runbook('backup-db-physical') },
    ],
    reps,
    log,
  );
  const sizes = {
    gzip: Number(await on(ctl, `cat ${FLOOR}/gz/* | wc -c`)),
    zstd: Number(await on(ctl, `cat ${FLOOR}/zst/* | wc -c`)),
    sql: Number(await on(ctl, `for f in ${FLOOR}/gz/*; do gunzip -c "$f"; done | wc -c`)),
  };
  // The restores restore the newest backup: a zstd one, as backup-db makes by default.
  const made = await runbook('backup-db')();
  if (made.code !== 0) throw new Error(`bench db: backup-db failed: ${made.stdout.slice(-800)}`);

  log('db: restore');
  const bareImport = `set -e -o pipefail; for f in ${FLOOR}/gz/*.sql.gz; do gunzip -c "$f" | mysql; done`;
  const restore = await alternate(
    [
      { name: 'floor: gunzip \\| mysql', before: drop(databases), run: onCtl(bareImport) },
      { name: 'runbook exec recover', before: drop(databases), run: runbook('recover') },
      { name: 'runbook exec recover-nova', before: drop(NOVA), run: runbook('recover-nova') },
      { name: 'runbook exec recover-db-physical', before: drop(databases), run: runbook('recover-db-physical') },
    ],
    reps,
    log,
  );
  const fp = await on(ctl, `mysql -N -B -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (${databases.map((d) => `'${d}'`).join(',')})"`);
  log(`db: ${fp} tables after the restores`);
  await on(ctl, `rm -rf ${FLOOR}`);

  const rows = (samples) => Object.entries(samples).map(([name, list]) => ({ name, wall: summary(list), rss: summary(list, 'rssMb'), cpu: summary(list, 'cpuS'), failed: list.filter((s) => s.code !== 0).length, phases: phasesOf(list) }));
  const backupRows = rows(backup);
  const restoreRows = rows(restore);
  return { databases, innodb, sizes, backup: backupRows, restore: restoreRows, table: tables(backupRows, restoreRows, { databases, innodb, sizes, reps }) };
}

/** Per step, the median over the runs of its summed duration (all hosts and items), from each run's journal. */
function phasesOf(samples) {
  const perRun = samples.map((s) => {
    const journal = journalOf(s.stdout);
    if (!journal) return undefined;
    const steps = new Map();
    for (const line of readFileSync(journal, 'utf8').split('\n').filter(Boolean)) {
      const e = JSON.parse(line);
      if (e.type === 'task-finished' && e.result.status !== 'skipped') steps.set(e.result.step, (steps.get(e.result.step) ?? 0) + e.result.durationMs);
    }
    return steps;
  });
  const known = perRun.filter(Boolean);
  if (known.length === 0) return [];
  const names = [...known[0].keys()];
  return names.map((step) => ({ step, ms: median(known.map((m) => m.get(step) ?? 0)) }));
}

/** The journal a `runbook exec --json` run wrote (its run-started event names the run id). */
function journalOf(stdout) {
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const e = JSON.parse(line);
      if (e.type === 'run-started') return join(WORK, 'state-db', 'runs', `${e.runId}.jsonl`);
    } catch {
      // not an event
    }
  }
  return undefined;
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function tables(backup, restore, { databases, innodb, sizes, reps }) {
  const row = (r, base) =>
    `| ${r.name}${r.failed ? ` (${r.failed} failed)` : ''} | ${fmtSummary(r.wall)} | ${(r.wall.median / base.wall.median).toFixed(2)}× | ${r.rss.median.toFixed(0)} MB | ${r.cpu.median.toFixed(1)} s |`;
  const head = (what) => [`| ${what} (median of ${reps}, min–max) | time | × floor | peak RSS (largest process) | CPU (control node's side) |`, '| --- | ---: | ---: | ---: | ---: |'];
  const phases = restore
    .filter((r) => r.phases.length > 0)
    .map((r) => [`${r.name}, per step (median, steps that ran):`, '', '| step | time |', '| --- | ---: |', ...r.phases.filter((p) => p.ms >= 1).map((p) => `| ${p.step} | ${fmtMs(p.ms)} |`)].join('\n'));
  const backupPhases = backup
    .filter((r) => r.phases.length > 0)
    .map((r) => [`${r.name}, per step (median):`, '', '| step | time |', '| --- | ---: |', ...r.phases.map((p) => `| ${p.step} | ${fmtMs(p.ms)} |`)].join('\n'));
  return [
    `${databases.length} databases, ${mib(innodb)} in InnoDB; ${mib(sizes.sql)} of SQL; gzip -n ${mib(sizes.gzip)}, zstd -T0 -3 ${mib(sizes.zstd)}.`,
    '',
    ...head('backup'),
    ...backup.map((r) => row(r, backup[0])),
    '',
    ...head('restore (all databases dropped; recover-nova: nova, nova_api, nova_cell0)'),
    ...restore.map((r) => row(r, restore[0])),
    '',
    ...backupPhases,
    '',
    ...phases,
  ].join('\n');
}
