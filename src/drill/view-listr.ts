import { Listr, type ListrTask } from 'listr2';
import type { Style } from '../report/style.js';
import type { DrillEvent } from './events.js';
import { formatMs } from './measure.js';
import { PHASES, type PhaseName } from './report-model.js';

type PhaseEnd = { ok: boolean; durationMs: number; detail: string[] } | { skipped: string };

interface Gate<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

function gate<T>(): Gate<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lines of a run shown under its phase while it runs (the full log is in the journal). */
const RUN_LINES = 8;

/**
 * The drill on a terminal: a listr2 task per phase that spins while it runs, shows the last
 * lines of the runbook run inside it, and ends green, red or skipped with its duration. The
 * runs draw plain lines into their phase's output (two live trees cannot share a terminal).
 */
export function listrDrillView(write: (...lines: string[]) => void, style: Style): { consume: (event: DrillEvent) => void; runLine: (line: string) => void; done: () => Promise<void> } {
  const started = new Map<PhaseName, Gate<void>>(PHASES.map((p) => [p, gate<void>()]));
  const ended = new Map<PhaseName, Gate<PhaseEnd>>(PHASES.map((p) => [p, gate<PhaseEnd>()]));
  /** The running phase's task: run lines go to its output bar. */
  let current: { output: string } | undefined;
  let list: Promise<unknown> = Promise.resolve();

  const phaseTask = (phase: PhaseName): ListrTask => ({
    title: phase,
    rendererOptions: { outputBar: RUN_LINES, persistentOutput: false },
    task: async (_ctx, task): Promise<void> => {
      const end = await Promise.race([started.get(phase)!.promise.then(() => undefined), ended.get(phase)!.promise]);
      if (end && 'skipped' in end) return task.skip(`${phase}: skipped (${end.skipped})`);
      current = task;
      const result = await ended.get(phase)!.promise;
      if ('skipped' in result) return task.skip(`${phase}: skipped (${result.skipped})`);
      task.title = `${phase} ${style.dim(`(${formatMs(result.durationMs)})`)}${result.detail[0] ? `: ${result.detail.at(-1)}` : ''}`;
      if (!result.ok) throw new Error(`${phase} failed:\n${result.detail.join('\n')}`);
    },
  });

  const consume = (event: DrillEvent): void => {
    switch (event.type) {
      case 'drill-started':
        write(style.bold(`DRILL ${event.drill} ${event.version} on ${event.inventory} (drill ${event.id})`));
        list = new Listr(PHASES.map(phaseTask), { concurrent: false, exitOnError: false }).run().catch(() => undefined);
        return;
      case 'phase-started':
        started.get(event.phase)?.resolve();
        return;
      case 'phase-finished':
        ended.get(event.phase)?.resolve({ ok: event.ok, durationMs: event.durationMs, detail: event.detail });
        return;
      case 'phase-skipped':
        ended.get(event.phase)?.resolve({ skipped: event.reason });
        return;
      case 'drill-finished': {
        const paint = event.outcome === 'passed' ? style.ok : style.failed;
        list = list.then(() => write('', paint(style.bold(`DRILL ${event.outcome.toUpperCase()} (exit ${event.exitCode}): recovery time ${formatMs(event.rtoMs)}, backup age at the fault ${formatMs(event.backupAgeMs)}, ${event.lost} write(s) lost`)), `report: ${event.report}`));
        return;
      }
      default: {
        const never: never = event;
        throw new Error(`unhandled drill event ${JSON.stringify(never)}`);
      }
    }
  };

  return {
    consume,
    runLine: (line) => {
      if (current) current.output = line;
    },
    done: () => list.then(() => undefined),
  };
}
