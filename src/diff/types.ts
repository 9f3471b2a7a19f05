/** A step attribute the diff compares, in the words a reviewer reads. */
export type StepField =
  | 'name'
  | 'action'
  | 'command'
  | 'args'
  | 'hosts'
  | 'check'
  | 'verify'
  | 'rollback'
  | 'timeout'
  | 'retries'
  | 'when'
  | 'loop'
  | 'run_once'
  | 'serial'
  | 'become'
  | 'env'
  | 'cwd'
  | 'register'
  | 'confirm'
  | 'on_failure'
  | 'waive';

/** One attribute before and after; absent means the step has none. */
export interface FieldChange {
  field: string;
  old?: string;
  new?: string;
}

/** A step that differs, keyed by id; positions are 1-based step numbers. */
export interface StepDiff {
  id: string;
  status: 'added' | 'removed' | 'changed';
  oldPosition?: number;
  newPosition?: number;
  /** Its order relative to the steps both versions have changed. */
  moved: boolean;
  changes: FieldChange[];
}

/** A param that was added, removed or changed (type, default, required, ...). */
export interface ParamDiff {
  name: string;
  status: 'added' | 'removed' | 'changed';
  changes: FieldChange[];
}

/** What a reviewer must look at twice; each flag has its message in words. */
export type RiskKind =
  | 'rollback-removed'
  | 'check-removed'
  | 'confirm-removed'
  | 'hosts-widened'
  | 'irreversible-added'
  | 'destructive-added'
  | 'waiver-added'
  | 'version-not-bumped'
  | 'version-bumped-wrongly';

export interface RiskFlag {
  kind: RiskKind;
  message: string;
  step?: string;
}

/** Semver levels; `none` when nothing changed. */
export type BumpLevel = 'none' | 'patch' | 'minor' | 'major';

/** The version change judged against what changed. */
export interface VersionVerdict {
  old: string;
  new: string;
  /** The least bump this change needs, and why. */
  required: BumpLevel;
  reasons: string[];
  /** The bump made: `none` when equal; `downgrade` when lower. */
  made: BumpLevel | 'downgrade' | 'other';
  ok: boolean;
  /** The versions that would be accepted. */
  accepted: string[];
}

/** The review of one runbook file; `old` or `new` absent when the file was added or deleted. */
export interface RunbookDiff {
  name: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  oldVersion?: string;
  newVersion?: string;
  /** Runbook-level attributes: description, default hosts, vars.x, secrets.x. */
  runbook: FieldChange[];
  params: ParamDiff[];
  steps: StepDiff[];
  flags: RiskFlag[];
  version?: VersionVerdict;
}
