import type { CommandIO } from '../app/io.js';
import { createStyle } from '../report/style.js';
import type { DrillEvent } from './events.js';
import { formatMs } from './measure.js';

/** How the drill shows itself; `runIO` is the IO its runbook runs draw with. */
export interface DrillView {
  consume: (event: DrillEvent) => void;
  runIO: CommandIO;
  /** Resolves once everything is drawn. */
  done: () => Promise<void>;
}

/**
 * `--json` for machines, a listr2 task per phase on a terminal, plain lines everywhere else.
 * listr2 is imported only on a terminal (start-up of plain and JSON runs, as report/renderer.ts).
 */
export async function createDrillView(io: CommandIO, json: boolean): Promise<DrillView> {
  if (json || !io.interactive || io.env.CI !== undefined) return { consume: drillView(io, json), runIO: io, done: async () => undefined };
  const { listrDrillView } = await import('./view-listr.js');
  const view = listrDrillView(io.out, createStyle(io.color));
  const sink = (...lines: string[]): void => {
    for (const line of lines.flatMap((l) => l.split('\n'))) view.runLine(line);
  };
  // Runs draw plain lines into their phase's task; `yes` is set, so they never ask.
  const { ask: _ask, ...rest } = io;
  return { consume: view.consume, runIO: { ...rest, interactive: false, out: sink, err: sink }, done: view.done };
}

/**
 * The drill's own lines around the runs' live views (each run draws itself with the exec
 * renderers: listr2 on a terminal, plain lines otherwise). `--json`: one JSON object a line,
 * drill events and run events alike (their `type` tells them apart).
 */
function drillView(io: Pick<CommandIO, 'out' | 'color'>, json: boolean): (event: DrillEvent) => void {
  if (json) return (event) => io.out(JSON.stringify({ at: new Date().toISOString(), ...event }));
  const style = createStyle(io.color);
  return (event) => {
    switch (event.type) {
      case 'drill-started':
        io.out(style.bold(`DRILL ${event.drill} ${event.version} on ${event.inventory} (drill ${event.id})`));
        return;
      case 'phase-started':
        io.out('', style.bold(`== ${event.phase}`));
        return;
      case 'phase-finished': {
        const paint = event.ok ? style.ok : style.failed;
        io.out(...event.detail.map((d) => `   ${d}`), paint(`== ${event.phase}: ${event.ok ? 'ok' : 'FAILED'} (${formatMs(event.durationMs)})`));
        return;
      }
      case 'phase-skipped':
        io.out(style.skipped(`== ${event.phase}: skipped (${event.reason})`));
        return;
      case 'drill-finished': {
        const paint = event.outcome === 'passed' ? style.ok : style.failed;
        io.out('', paint(style.bold(`DRILL ${event.outcome.toUpperCase()} (exit ${event.exitCode}): recovery time ${formatMs(event.rtoMs)}, backup age at the fault ${formatMs(event.backupAgeMs)}, ${event.lost} write(s) lost`)));
        io.out(`report: ${event.report}`);
        return;
      }
      default: {
        const never: never = event;
        throw new Error(`unhandled drill event ${JSON.stringify(never)}`);
      }
    }
  };
}
