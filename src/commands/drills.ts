import { formatMs } from '../drill/measure.js';
import { listReports } from '../drill/store.js';
import { type CommandIO, EXIT } from '../app/io.js';

/** `runbook drills`: past drills, newest first: when, which, outcome, RTO and RPO against their objectives. */
export async function listDrills(stateDir: string, io: CommandIO, json = false): Promise<number> {
  const reports = await listReports(stateDir);
  if (json) {
    for (const r of reports) io.out(JSON.stringify({ id: r.id, started: r.started, drill: r.drill.name, version: r.drill.version, outcome: r.outcome, rto: r.objectives.rto, rpo: r.objectives.rpo, lost: r.measured.lost }));
    return EXIT.ok;
  }
  if (reports.length === 0) {
    io.err(`no drills under ${stateDir}/drills`);
    return EXIT.ok;
  }
  io.out(['date', 'drill', 'outcome', 'RTO measured / objective', 'RPO measured / objective', 'lost', 'report'].join('  |  '));
  for (const r of reports) {
    const { rto, rpo } = r.objectives;
    io.out([
      r.started.replace('T', ' ').slice(0, 19),
      `${r.drill.name} ${r.drill.version}`,
      r.outcome,
      `${formatMs(rto.measuredMs)} / ${rto.objective} ${rto.met ? 'met' : 'MISSED'}`,
      `${formatMs(rpo.measuredMs)} / ${rpo.objective} ${rpo.met ? 'met' : 'MISSED'}`,
      `${r.measured.lost} write(s)`,
      `${stateDir}/drills/${r.id}/report.md`,
    ].join('  |  '));
  }
  return EXIT.ok;
}
