import { readRun, listRuns, summarize } from '../journal/reader.js';
import { createRenderer } from '../report/renderer.js';
import { type CommandIO, EXIT } from '../app/io.js';

/** `runbook runs [list]`: journaled runs, newest first. */
export async function listJournaledRuns(stateDir: string, io: CommandIO): Promise<number> {
  const runs = await listRuns(stateDir);
  if (runs.length === 0) io.err(`no runs journaled under ${stateDir}/runs`);
  for (const r of runs) {
    const code = r.exitCode === undefined ? '' : ` (exit ${r.exitCode})`;
    io.out(`${r.runId}  ${r.runbook} ${r.version}  ${r.check ? 'check' : 'exec'}  ${r.outcome}${code}  ${r.operator}  ${r.started}`);
  }
  return EXIT.ok;
}

/** `runbook runs show RUN_ID`: the run replayed through the plain renderer, or as JSON lines. */
export async function showJournaledRun(stateDir: string, runId: string, json: boolean, io: CommandIO): Promise<number> {
  const events = await readRun(stateDir, runId).catch(() => undefined);
  if (!events || !summarize(runId, events)) {
    io.err(`error: no journal for run ${runId} under ${stateDir}/runs`);
    return EXIT.usage;
  }
  const renderer = createRenderer({ ...io, interactive: false }, json);
  for (const event of events) renderer.consume(event);
  await renderer.done();
  return EXIT.ok;
}
