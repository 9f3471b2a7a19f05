import { existsSync } from 'node:fs';
import { resolveRunbookFile } from '../app/resolve.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Drill, RunbookCall } from './types.js';

/** The runbooks a drill runs: backups, fault runbooks, the recovery. */
export function callsOf(drill: Drill): RunbookCall[] {
  return [...drill.backup, ...drill.fault.flatMap((f) => (f.kind === 'runbook' ? [f.call] : [])), drill.recovery];
}

/**
 * A warning per runbook the drill names that does not exist (yet): `validate` reports the drill
 * itself as valid, `runbook drill` refuses it in preflight.
 */
export function missingRunbooks(drill: Drill, cwd: string): Diagnostic[] {
  const names = [...new Set(callsOf(drill).map((c) => c.runbook))];
  return names.filter((n) => !existsSync(resolveRunbookFile(n, cwd))).map((n) => ({
    severity: 'warning', file: drill.source.file, message: `runbook '${n}' is not in runbooks/ (the drill cannot run until it is)`,
  }));
}
