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
  phase?: string;
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
  secrets?: Record<string, { env?: string; file?: string; optional?: boolean }>;
  steps: RawStep[];
}

/** Keys every step may have, whatever its action. */
export const COMMON_STEP_KEYS = ['id', 'name', 'hosts', 'when', 'loop', 'run_once', 'serial', 'become', 'env', 'cwd', 'timeout', 'retries', 'register', 'confirm', 'phase', 'on_failure', 'waive'] as const;

/** Names a template reads from its context; a registered result must not hide one of them. */
export const CONTEXT_NAMES = ['params', 'vars', 'host', 'groups', 'hostvars', 'run', 'item', 'secrets'] as const;

/** A plain YAML mapping (not a list, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
