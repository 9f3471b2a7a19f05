import type { Host, Inventory } from '../inventory/types.js';
import type { Runbook, Step } from '../runbook/types.js';

/** A step with the hosts it runs on, after its pattern, --limit and run_once. */
export interface PlannedStep {
  step: Step;
  /** Position in the runbook, 0-based. */
  index: number;
  hosts: Host[];
  /** Set when --start-at or --resume skips this step. */
  skipReason?: string;
}

/** What a run will do: pure data, built without touching any host. */
export interface Plan {
  runbook: Runbook;
  inventory: Inventory;
  params: Record<string, unknown>;
  steps: PlannedStep[];
  /** Every host some step runs on, in inventory order. */
  hosts: Host[];
  /**
   * Every host the run can touch, in inventory order: `hosts` and the hosts their modules reach
   * (catalog's storage host, transfer's destination; see reached.ts). All of them are connected,
   * their keys verified, before the first command on any host.
   */
  touchedHosts: Host[];
  /** The host that holds the run's remote lock: the first target host. */
  lockHost: Host | undefined;
}
