import type { CommandIO } from '../commands/io.js';
import type { RunEvent } from '../engine/events.js';
import { jsonRenderer } from './json.js';
import { listrRenderer } from './listr.js';
import { plainRenderer } from './plain.js';
import { createStyle } from './style.js';

export interface Renderer {
  consume: (event: RunEvent) => void;
  /** Resolves once everything is drawn. */
  done: () => Promise<void>;
}

/** `--json` for machines, the live tree on a terminal, plain lines everywhere else. */
export function createRenderer(io: Pick<CommandIO, 'out' | 'interactive' | 'color' | 'env'>, json: boolean): Renderer {
  if (json) return { consume: jsonRenderer(io.out), done: async () => undefined };
  const style = createStyle(io.color);
  if (io.interactive && io.env.CI === undefined) return listrRenderer(io.out, style);
  return { consume: plainRenderer(io.out, style), done: async () => undefined };
}
