import { Listr, type ListrTaskWrapper } from 'listr2';
import type { RunEvent } from '../engine/events.js';
import type { TaskResult } from '../engine/results.js';
import { endLines, taskLines } from './lines.js';
import type { Style } from './style.js';

interface Deferred<T = void> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

type AnyTask = ListrTaskWrapper<unknown, never, never>;

/**
 * The live tree on a terminal: a task per step, a subtask per host that turns green, yellow
 * or red as results arrive. listr2 pulls work from tasks, so each task waits on a promise
 * that the events settle.
 */
export function listrRenderer(write: (...lines: string[]) => void, style: Style): { consume: (event: RunEvent) => void; done: () => Promise<void> } {
  /** Settles when a step starts (`run`) or is known never to (`skip` with the reason). */
  const steps = new Map<string, Deferred<{ run: true } | { run: false; reason: string }>>();
  const hostTasks = new Map<string, Deferred>();
  const titles = new Map<string, AnyTask>();
  const manual: string[] = [];
  let list: Promise<unknown> = Promise.resolve();
  let rollback: Deferred | undefined;
  const key = (step: string, host: string): string => `${step}\0${host}`;

  const consume = (event: RunEvent): void => {
    switch (event.type) {
      case 'run-started': {
        for (const s of event.steps) {
          steps.set(s.id, deferred());
          for (const h of s.hosts) hostTasks.set(key(s.id, h), deferred());
        }
        const listr = new Listr(
          event.steps.map((s) => ({
            title: `${s.name} ${style.dim(`[${s.id}]`)}`,
            task: async (_ctx: unknown, task: AnyTask) => {
              const start = await steps.get(s.id)!.promise;
              if (!start.run) {
                task.skip(`${s.name} ${style.dim(`[${s.id}]`)}: ${start.reason}`);
                return;
              }
              return task.newListr(
                s.hosts.map((h) => ({
                  title: h,
                  task: async (_c: unknown, hostTask: AnyTask) => {
                    titles.set(key(s.id, h), hostTask);
                    await hostTasks.get(key(s.id, h))!.promise;
                  },
                })),
                { concurrent: true, exitOnError: false },
              );
            },
          })),
          // Redrawn on task events only (no spinner tick), lines cut to the terminal instead of
          // wrapped: listr2 measured and wrapped every line of the whole tree at every tick
          // (string-width, wrap-ansi), which took the CPU from the run itself: 30 steps on one
          // host took 6 s on a terminal and 0.4 s without. Its option types ignore generics here.
          { concurrent: false, exitOnError: false, rendererOptions: { lazy: true, formatOutput: 'truncate' } as never },
        );
        write(style.bold(`${event.check ? 'CHECK' : 'RUN'} ${event.runbook.name} ${event.runbook.version} (run ${event.runId})`));
        list = listr.run().catch(() => undefined);
        return;
      }
      case 'task-finished':
        settleHost(event.result);
        return;
      case 'step-started':
        steps.get(event.step)?.resolve({ run: true });
        return;
      case 'step-skipped':
        steps.get(event.step)?.resolve({ run: false, reason: `skipped (${event.reason})` });
        return;
      case 'step-finished':
        for (const [k, d] of hostTasks) if (k.startsWith(`${event.step}\0`)) d.resolve();
        return;
      case 'rollback-started':
        // Steps after the failure never start: say so, so the tree can finish.
        for (const d of steps.values()) d.resolve({ run: false, reason: 'not run: the run stopped before this step' });
        for (const d of hostTasks.values()) d.resolve();
        rollback = deferred();
        list = list.then(() => write('', style.changed(`ROLLBACK (${event.reason}): undoing ${event.changes} change(s)`)));
        return;
      case 'rollback-task':
        list = list.then(() => write(`  ${event.outcome}: [${event.host}] ${event.step}${event.message ? ` ${event.message}` : ''}`));
        return;
      case 'rollback-finished':
        for (const m of event.manual) manual.push(`${m.host}: step '${m.step}': ${m.reason}`);
        rollback?.resolve();
        return;
      case 'run-finished':
        for (const d of steps.values()) d.resolve({ run: false, reason: 'not run' });
        for (const d of hostTasks.values()) d.resolve();
        list = list.then(() => write(...endLines(event, manual, style)));
        return;
      case 'hosts-unreachable':
        for (const h of event.hosts) write(style.failed(`unreachable: [${h.host}] ${h.stage}: ${h.message}`));
        return;
      case 'notice':
        list = list.then(() => write(`${event.level}: ${event.message}`));
        return;
      case 'task-started':
      case 'registered':
        return;
      default: {
        const unreachable: never = event;
        throw new Error(`unhandled event ${JSON.stringify(unreachable)}`);
      }
    }
  };

  const settleHost = (result: TaskResult): void => {
    const task = titles.get(key(result.step, result.host));
    const d = hostTasks.get(key(result.step, result.host));
    if (task) task.title = `${result.host}: ${result.status}${result.itemIndex === undefined ? '' : ` (item ${result.itemIndex})`}`;
    if (result.status === 'failed' && !result.ignored) {
      d?.reject(new Error(taskLines(result, style).join('\n')));
    } else if (task && result.status === 'skipped') {
      task.title = `${result.host}: ${style.skipped('skipped')}`;
    }
  };

  return { consume, done: () => list.then(() => undefined) };
}
