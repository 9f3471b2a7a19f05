import type { RunEvent } from '../engine/events.js';

/** `--json`: one event per line, for machines. */
export function jsonRenderer(write: (line: string) => void): (event: RunEvent) => void {
  return (event) => write(JSON.stringify(event));
}
