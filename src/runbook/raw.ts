import type { ParamSpec } from './types.js';

/** A step as written in YAML, after the schema accepted it. */
export interface RawStep {
  id: string;
  name?: string;
  hosts?: string;
  when?: string | boolean;
  loop?: string | unknown[];
  run_once?: boolean;
  serial?: number;
  become?: boolean;
  env?: Record<string, string | number | boolean>;
  cwd?: string;
  timeout?: string | number;
  retries?: { attempts: number; delay?: string | number };
  register?: string;
  confirm?: string;
  on_failure?: 'rollback' | 'abort' | 'continue';
  waive?: Record<string, string>;
  [action: string]: unknown;
}

/** A runbook as written, after the schema accepted it. */
export interface RawRunbook {
  apiVersion: 'runbook/v1';
  name: string;
  version: string;
  description?: string;
  hosts?: string;
  params?: Record<string, ParamSpec>;
  vars?: Record<string, unknown>;
  secrets?: Record<string, { env?: string; file?: string }>;
  steps: RawStep[];
}

/** Step keys that select a module, in the order error messages list them. */
export const MODULE_KEYS = ['service', 'file', 'copy', 'template', 'archive', 'extract', 'transfer', 'wait_for', 'assert', 'catalog', 'retention'] as const;

/**
 * Actions whose value is a shell command and whose companions are keys of the step itself:
 * `run` (a change) and `probe` (a read-only command whose output is registered).
 */
export const COMMAND_ACTIONS = ['run', 'probe'] as const;

/** Keys that select a step's action: a command, or one module. */
export const ACTION_KEYS = [...COMMAND_ACTIONS, ...MODULE_KEYS] as const;

export type ActionKey = (typeof ACTION_KEYS)[number];
export type ModuleKey = (typeof MODULE_KEYS)[number];

/** Whether the action's arguments are keys of the step itself (run, probe) rather than nested. */
export function isCommandAction(action: string): action is (typeof COMMAND_ACTIONS)[number] {
  return (COMMAND_ACTIONS as readonly string[]).includes(action);
}

/** Keys that only mean something next to `run`. */
export const RUN_COMPANIONS = ['check', 'creates', 'removes', 'verify', 'rollback', 'irreversible'] as const;

/** Text for the standard input of a command action's commands (run, probe): where secrets go. */
export const STDIN_KEY = 'stdin';

/** Keys every step may have, whatever its action. */
export const COMMON_STEP_KEYS = ['id', 'name', 'hosts', 'when', 'loop', 'run_once', 'serial', 'become', 'env', 'cwd', 'timeout', 'retries', 'register', 'confirm', 'on_failure', 'waive'] as const;

/** Every key a step may have; kept equal to the schema's step properties by a test. */
export const STEP_KEYS: readonly string[] = [...COMMON_STEP_KEYS, ...ACTION_KEYS, ...RUN_COMPANIONS, STDIN_KEY];

/** Names a template reads from its context; a registered result must not hide one of them. */
export const CONTEXT_NAMES = ['params', 'vars', 'host', 'groups', 'hostvars', 'run', 'item', 'secrets'] as const;

/** A plain YAML mapping (not a list, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
