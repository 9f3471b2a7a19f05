import type { Every } from './every.js';

/**
 * A runbook run to schedule on the control node, everything already validated by the caller:
 * the scheduled command is `node <script> exec <args...>` run in `workingDirectory`, so the
 * runbook, inventory and state folder resolve exactly as they did when it was validated.
 */
export interface ScheduledJob {
  /** `runbook-backup-db-prod`: the systemd unit's name (without suffix), also the cron log's. */
  name: string;
  runbook: string;
  /** The inventory's file, for the descriptions. */
  inventoryFile: string;
  /** Absolute path of the node binary. */
  node: string;
  /** Absolute path of dist/bin/runbook.js. */
  script: string;
  /** Everything after `runbook`: `exec backup-db --inventory prod ... --yes`. */
  args: string[];
  workingDirectory: string;
  /** Absolute path of the file the secrets come from (KEY=value lines, mode 0600). */
  environmentFile: string;
  /** The environment variables the runbook's secrets are read from: the file must set them (else it is optional). */
  secretVariables: string[];
  every: Every;
  /** Seconds systemd waits after SIGTERM for the rollback before it kills the run. */
  stopTimeoutSec: number;
  /** Seconds a run may take before systemd stops it (SIGTERM: it rolls back). */
  runTimeoutSec: number;
  /** Where the cron line appends the run's output. */
  logFile: string;
}
