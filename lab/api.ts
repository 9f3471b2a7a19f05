/**
 * The lab for tests and drills: a small OpenStack control plane on this machine (lab/README.md).
 *
 *     const lab = await labUp({ dir: tmp });          // LAB_DIR-like state folder
 *     await lab.ssh('ctl1', 'mysql -N -e "select count(*) from nova.instances"');
 *     const before = await lab.fingerprint();
 *     await lab.fault({ kind: 'drop-database', database: 'nova' });
 *     ... recover ...
 *     expect(diffFingerprints(before, await lab.fingerprint())).toEqual([]);
 *     await labDown(lab);
 */
import type { LabHost } from './config.js';
import type { RunResult } from './exec.js';
import { type Fault, type FaultResult, heal as healFault, hostOf, inject } from './faults.js';
import { type Fingerprint, fingerprint as takeFingerprint } from './fingerprint/index.js';
import { type Lab, type LabOptions, down, openLab, reset, up } from './lab.js';
import { type HostStatus, status as hostStatus } from './status.js';
import { sshFiles, sshRun } from './sshd.js';

export type { HostRole, LabConfig, LabHost, Role } from './config.js';
export type { RunResult } from './exec.js';
export type { Fault, FaultKind, FaultResult } from './faults.js';
export { FAULT_KINDS } from './faults.js';
export type { Fingerprint, HostFingerprint } from './fingerprint/index.js';
export { EXCLUDED_PATHS, PROTECTED_PATHS, diffFingerprints } from './fingerprint/index.js';
export type { Lab, LabOptions } from './lab.js';
export type { HostStatus, ServiceStatus } from './status.js';
export { healthy } from './status.js';
export { DATABASES, DB_USERS, RUNBOOK_DB_USER } from './seed/index.js';
export { UNITS } from './services.js';
export { OPENSTACK_SEED, cirrosLabBytes } from './openstack/build.js';
export { OPENSTACK_PROTECTED_PATHS } from './fingerprint/index.js';
export type { LabKind } from './config.js';

/** A lab with its operations bound to it. */
export interface LabHandle extends Lab {
  host(name: string): LabHost;
  /** Runs a command on a host over real ssh (lab key, lab known_hosts, strict host key checking). */
  ssh(host: string, command: string, input?: string): Promise<RunResult>;
  fingerprint(host?: string): Promise<Fingerprint>;
  fault(fault: Fault): Promise<FaultResult>;
  heal(fault: Fault): Promise<FaultResult>;
  status(): Promise<HostStatus[]>;
  down(): Promise<void>;
}

function bind(lab: Lab): LabHandle {
  return {
    ...lab,
    host: (name) => hostOf(lab, name),
    ssh: (host, command, input) => ssh(lab, host, command, input),
    fingerprint: (host) => takeFingerprint(lab, host),
    fault: (f) => inject(lab, f),
    heal: (f) => healFault(lab, f),
    status: () => hostStatus(lab),
    down: () => down(lab.config.dir),
  };
}

/** Brings a lab up (see {@link LabOptions}; `dir` defaults to LAB_DIR or <repo>/.lab). */
export async function labUp(options: LabOptions = {}): Promise<LabHandle> {
  return bind(await up(options));
}

/** Down, reseed, up: a fresh lab of the same shape in the same folder. */
export async function labReset(options: LabOptions = {}): Promise<LabHandle> {
  return bind(await reset(options));
}

/** Stops every process of the lab (only those it started); its data stays in its folder. */
export async function labDown(lab: Lab | string): Promise<void> {
  await down(typeof lab === 'string' ? lab : lab.config.dir);
}

/** The lab last brought up in a folder (it may be down). */
export function labOpen(dir?: string): LabHandle {
  return bind(openLab(dir));
}

export function ssh(lab: Lab, host: string, command: string, input?: string): Promise<RunResult> {
  return sshRun(hostOf(lab, host), sshFiles(lab.config), command, input);
}

export function fingerprint(lab: Lab, host?: string): Promise<Fingerprint> {
  return takeFingerprint(lab, host);
}

export function fault(lab: Lab, f: Fault): Promise<FaultResult> {
  return inject(lab, f);
}

export function heal(lab: Lab, f: Fault): Promise<FaultResult> {
  return healFault(lab, f);
}

export function status(lab: Lab): Promise<HostStatus[]> {
  return hostStatus(lab);
}
