import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostics } from '../diagnostics/print.js';
import { EXIT } from '../engine/results.js';

/** What a command or a run may touch of the outside world; tests pass their own. */
export interface CommandIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: (...lines: string[]) => void;
  err: (...lines: string[]) => void;
  /** Whether stdout is an interactive terminal (live tree, prompts). */
  interactive: boolean;
  color: boolean;
  /** Aborted on SIGINT, SIGTERM or SIGHUP, with the signal's name as the reason. */
  signal: AbortSignal;
  /** Reads one answer from the operator; absent when there is no terminal. */
  ask?: (question: string) => Promise<string>;
}

export { EXIT } from '../engine/results.js';

/**
 * Prints diagnostics the one way users see them (`file:line:col: severity: message`, the source
 * line and a caret); returns the usage exit code.
 */
export function reportDiagnostics(io: CommandIO, diagnostics: readonly Diagnostic[]): number {
  io.err(renderDiagnostics(diagnostics, { color: io.color }));
  if (diagnostics.some((d) => d.severity === 'error')) io.err('nothing was run');
  return EXIT.usage;
}
