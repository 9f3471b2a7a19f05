import { ConnectionPool } from '../connection/pool.js';
import { connectEarly } from './early.js';
import type { CommandIO } from './io.js';
import type { RunRequest } from './request.js';

/**
 * Runs a runbook (`runbook exec`, `runbook plan`, a drill's runs). An SSH handshake is mostly
 * waiting for the server, and loading the engine and validating the runbook is mostly work for
 * this process, so the two overlap: this module, which loads little, reads the inventory and the
 * runbook's host patterns and starts connecting to the hosts the run will likely need
 * (early.ts), then loads the rest (run.ts), which validates, plans and runs. Nothing of those
 * early connections is reported before the plan is known: a validation error still comes alone,
 * with exit 2, and an unreachable host is reported only if the plan needs it. Hosts whose key
 * policy is accept-new are not among them (accepting a key writes known_hosts, which must wait
 * for validation). Returns SPEC's exit code.
 */
export async function runRunbook(request: RunRequest, io: CommandIO): Promise<number> {
  const pool = new ConnectionPool();
  try {
    const early = connectEarly(request, io, pool);
    const { runPrepared } = await import('./run.js');
    return await runPrepared(request, io, pool, early);
  } finally {
    // Gives up the early connections a failed validation never needed.
    await pool.closeAll();
  }
}
