import type { CommandResult } from '../connection/connection.js';
import type { Redactor } from '../secrets/redactor.js';
import type { CommandPhase, CommandRecord } from './results.js';
import { tail } from './results.js';

/** A command result as events and the journal keep it: secrets masked, output tails only. */
export function toCommandRecord(phase: CommandPhase, r: CommandResult, redactor: Redactor): CommandRecord {
  return {
    phase,
    command: redactor.text(r.command),
    exitCode: r.exitCode,
    stdoutTail: redactor.text(tail(r.stdout)),
    stderrTail: redactor.text(tail(r.stderr)),
    durationMs: r.durationMs,
    timedOut: r.timedOut,
    aborted: r.aborted,
  };
}
