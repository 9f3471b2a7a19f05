import type { SourcePosition } from '../diagnostics/diagnostic.js';
import type { PathSegment } from '../diagnostics/yaml.js';

export type ParamType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

/** The named shapes of string params (param-shape.ts says what each accepts). */
export type ParamFormat = 'identifier' | 'service' | 'path' | 'hostname' | 'backup-id' | 'duration';

/**
 * What a string value must look like beyond its type, checked before anything runs: a value
 * reaches interpreters (mysql, tar, systemctl) that shell quoting does not protect.
 */
export interface StringShape {
  /** A regex the whole value must match (anchored at both ends). */
  pattern?: string;
  format?: ParamFormat;
  minLength?: number;
  maxLength?: number;
  /** Allowed values. */
  enum?: unknown[];
}

/** A typed input, set with --param key=value. String shapes apply to a string, or under `items` to each item of a list. */
export interface ParamSpec extends StringShape {
  type: ParamType;
  items?: ParamItems;
  default?: unknown;
  required?: boolean;
  description?: string;
}

/** The type and shape of each item of a list param. */
export interface ParamItems extends StringShape {
  type: ParamType;
}

/**
 * Where a secret's value comes from, read on the control node. `optional`: a secret only some
 * runs need (the age identity: only an encrypted backup needs it; the off-site copy's key: only
 * an inventory that declares one) is empty when not set, and the step that needs it says so;
 * otherwise a secret that is not set stops the run.
 */
export type SecretSource = ({ env: string } | { file: string }) & { optional?: boolean };

export type OnFailure = 'rollback' | 'abort' | 'continue';

/**
 * The one action of a step: a module name and its arguments, as written (templates not yet
 * rendered). For `run`, args is {@link RunArgs}.
 */
export interface StepAction {
  /** The step key of its module (src/modules/registry.ts); args are what that module's definition loaded. */
  module: string;
  args: Record<string, unknown>;
}

// The command actions' arguments, for the code that reads a run's commands (diff, lint, tests).
export type { RunArgs } from '../modules/run.js';
export type { ProbeArgs } from '../modules/probe.js';

export interface Retries {
  attempts: number;
  delayMs: number;
}

/** One step of a runbook, normalised (durations in ms, defaults applied). */
export interface Step {
  id: string;
  name: string;
  /** Host pattern; the runbook's `hosts` when the step has none. */
  hosts: string;
  when?: string;
  /** A list literal, or a dotted path to a list variable (e.g. `params.services`). */
  loop?: unknown[] | string;
  runOnce: boolean;
  /** Hosts per batch; undefined means all at once (up to --forks). */
  serial?: number;
  become: boolean;
  env: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  retries: Retries;
  register?: string;
  confirm?: string;
  /** The part of the work it is (fetch, import, proof, ...): recorded with the step, added up per phase in drill reports. */
  phase?: string;
  onFailure: OnFailure;
  /** Lint rules waived for this step: rule id -> the reviewer-facing reason. */
  waive?: Record<string, string>;
  action: StepAction;
  /** Position of the step's mapping in the file, for errors raised while running. */
  position: SourcePosition;
}

/**
 * A validated runbook file. `hosts` is `all` when the file has none (SPEC shows it but does
 * not require it; Ansible's plays need one, but a runbook for a single-host inventory reads
 * better without).
 */
export interface Runbook {
  apiVersion: 'runbook/v1';
  name: string;
  version: string;
  description: string;
  hosts: string;
  params: Record<string, ParamSpec>;
  vars: Record<string, unknown>;
  secrets: Record<string, SecretSource>;
  steps: Step[];
  source: RunbookSource;
}

export interface RunbookSource {
  /** Absolute path. */
  file: string;
  text: string;
  sha256: string;
  /**
   * Position of any key path in the file (`steps[1].run`, `steps[3].service.name`,
   * `params.backup`, or segments `['steps', 1, 'run']`): where its key starts, or the nearest
   * existing parent's when the path is not in the file (a default, a normalised field).
   */
  positionOf(path: string | readonly PathSegment[]): SourcePosition;
  /** Where the value at a key path starts (for errors about the value, not the key). */
  valuePositionOf(path: string | readonly PathSegment[]): SourcePosition;
}
