import type { RunEvent } from '../engine/events.js';
import type { ParamInput } from '../plan/params.js';

/** What `runbook exec`, `runbook plan` and a drill ask the application layer to run. */
export interface RunRequest {
  runbook?: string;
  inventory: string;
  params: ParamInput;
  limit?: string;
  check: boolean;
  forks: number;
  yes: boolean;
  json: boolean;
  startAt?: string;
  resume?: string;
  stateDir: string;
  /** Sees every event as journaled (a drill measures its phases from them). */
  onEvent?: (event: RunEvent) => void;
}
