/** A drill as loaded from drills/<name>.yaml (docs/drills.md); durations are milliseconds. */
export interface Drill {
  name: string;
  version: string;
  description: string;
  requires: string[];
  backup: RunbookCall[];
  writes: MarkerWrite[];
  fault: FaultSpec[];
  recovery: RecoverySpec;
  verify: VerifySpec;
  objectives: { rtoMs: number; rpoMs: number; rto: string; rpo: string };
  /** Run after verification when the fault phase ran: what the recovery does not undo. */
  cleanup: CleanupSpec[];
  source: { file: string; sha256: string };
}

/** A command that undoes part of a fault, on the first host of `hosts`. */
export interface CleanupSpec {
  name: string;
  hosts: string;
  run: string;
}

/** A runbook with its params as YAML values (turned into --param strings when it runs). */
export interface RunbookCall {
  runbook: string;
  params: Record<string, unknown>;
}

/** A marker row: `column` receives the marker, `values` fill the other columns. */
export interface SqlMarker {
  hosts: string;
  database: string;
  table: string;
  column: string;
  values: Record<string, string | number | boolean | null>;
}

/** A marker file `runbook-drill-<marker>` in `dir`. */
export interface FileMarker {
  hosts: string;
  dir: string;
  owner?: string;
  mode?: string;
}

/**
 * A marker the drill's author writes and probes with commands of their own (a keystone token, an
 * EC2 credential): `write` runs with the marker in $RUNBOOK_MARKER, `probe` exits 0 when it is
 * there, `remove` (optional) takes it away. Templates like a `run` command's.
 */
export interface CommandMarker {
  hosts: string;
  write: string;
  probe: string;
  remove?: string;
}

/**
 * `expect: lost`: the drill shows this data is lost by the recovery it rehearses (a token
 * whose keys were not kept), even when written before the backup; it must not come back.
 */
export type MarkerWrite = { id: string; expect?: 'lost' } & (
  | { kind: 'sql'; sql: SqlMarker }
  | { kind: 'file'; file: FileMarker }
  | { kind: 'command'; command: CommandMarker }
);

/** The host pattern a marker is written on. */
export function markerHosts(write: MarkerWrite): string {
  switch (write.kind) {
    case 'sql': return write.sql.hosts;
    case 'file': return write.file.hosts;
    case 'command': return write.command.hosts;
  }
}

/** A lab fault's arguments as written; checked against lab/faults.ts's kinds when loaded. */
export interface LabFaultSpec {
  kind: string;
  database?: string;
  table?: string;
  host?: string;
  path?: string;
  service?: string;
}

/** One part of the disaster. */
export type FaultSpec =
  | { kind: 'lab'; name?: string; lab: LabFaultSpec }
  | { kind: 'runbook'; name?: string; call: RunbookCall }
  | { kind: 'run'; name?: string; hosts: string; run: string };

export type RecoveryExpectation = 'succeeded' | 'rolled-back';

export interface RecoverySpec extends RunbookCall {
  expect: RecoveryExpectation;
}

export type FingerprintBaseline = 'pre-fault' | 'pre-recovery' | 'none';

export interface VerifySpec {
  fingerprint: FingerprintBaseline;
  services: Array<{ hosts: string; names: string[] }>;
  assert: Array<{ name: string; hosts: string; run: string }>;
  timeoutMs: number;
}
