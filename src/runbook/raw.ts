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
  [action: string]: unknown;
}

/** A runbook as written, after the schema accepted it. */
export interface RawRunbook {
  apiVersion: 'runbook/v1';
  name: string;
  version: string;
  description?: string;
  hosts?: string;
  params?: Record<string, import('./types.js').ParamSpec>;
  vars?: Record<string, unknown>;
  secrets?: Record<string, { env?: string; file?: string }>;
  steps: RawStep[];
}

/** Keys that select a step's action. `run` is one; each module is another. */
export const MODULE_KEYS = ['service', 'file', 'copy'] as const;
export const ACTION_KEYS = ['run', ...MODULE_KEYS] as const;

/** Keys that only mean something next to `run`. */
export const RUN_COMPANIONS = ['check', 'creates', 'removes', 'verify', 'rollback', 'irreversible'] as const;
