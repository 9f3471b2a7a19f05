import type { CommandIO } from '../app/io.js';
import type { RunEvent } from '../engine/events.js';
import { jsonRenderer } from './json.js';
import { plainRenderer } from './plain.js';
import { type Style, createStyle } from './style.js';

export interface Renderer {
  consume: (event: RunEvent) => void;
  /** Resolves once everything is drawn. */
  done: () => Promise<void>;
}

/** `--json` for machines, the live tree on a terminal, plain lines everywhere else. */
export function createRenderer(io: Pick<CommandIO, 'out' | 'interactive' | 'color' | 'env'>, json: boolean): Renderer {
  if (json) return { consume: jsonRenderer(io.out), done: async () => undefined };
  const style = createStyle(io.color);
  if (io.interactive && io.env.CI === undefined) return lazyListr(io.out, style);
  return { consume: plainRenderer(io.out, style), done: async () => undefined };
}

/**
 * The listr2 tree, imported only on a terminal: listr2 and its dependencies are a tenth of
 * the start-up of a plain or JSON run. Events that arrive while it loads are queued.
 */
function lazyListr(write: (...lines: string[]) => void, style: Style): Renderer {
  const queued: RunEvent[] = [];
  let ready: Renderer | undefined;
  const loading = import('./listr.js').then(({ listrRenderer }) => {
    ready = listrRenderer(write, style);
    for (const event of queued.splice(0)) ready.consume(event);
    return ready;
  });
  return {
    consume: (event) => (ready ? ready.consume(event) : void queued.push(event)),
    done: async () => (await loading).done(),
  };
}
