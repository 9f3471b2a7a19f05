import type { Inventory } from '../inventory/types.js';
import type { LabFaultSpec } from './types.js';

/**
 * A digest of a lab's protected state. The drill reads only its overall sha256 and which hosts
 * it covers; comparing two is the lab's work (`diff`).
 */
export interface LabFingerprint {
  sha256: string;
  hosts: Readonly<Record<string, unknown>>;
}

/** Where a drill wrote its markers: the lab accounts those tables and files as loss, not as differences. */
export interface MarkerPlaces {
  tables: Array<{ host: string; database: string; table: string }>;
  files: Array<{ host: string; path: string }>;
}

/**
 * What a drill may do that only a lab can: digest the protected state of every host and inject
 * a lab fault. A real cloud has no lab, so the drill reaches these only through this interface,
 * handed to it by the program that has a lab (bin/runbook.ts), and only when the inventory is the
 * one a lab wrote (docs/drills.md, "Lab and cloud").
 */
export interface LabAccess {
  /** The lab's state folder, for the report. */
  dir: string;
  fingerprint(): Promise<LabFingerprint>;
  /** One line per difference ("ctl1 db nova.instances: rows 873 -> 0"), the marker places left out of both sides. */
  diff(before: LabFingerprint, after: LabFingerprint, markers?: MarkerPlaces): string[];
  /** Injects the fault; resolves to what it did, in words. */
  inject(fault: LabFaultSpec): Promise<string>;
}

/** Finds the lab behind an inventory, if there is one. */
export type LabLocator = (inventory: Inventory) => Promise<LabAccess | undefined>;
