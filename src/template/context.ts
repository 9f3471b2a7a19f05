/** What a template can see, per host and step (SPEC "Templating"). */
export interface TemplateContext {
  params: Record<string, unknown>;
  vars: Record<string, unknown>;
  host: { name: string; address: string; groups: string[]; vars: Record<string, unknown> };
  groups: Record<string, string[]>;
  hostvars: Record<string, Record<string, unknown>>;
  run: RunInfo;
  secrets: Record<string, string>;
  item?: unknown;
  /** Registered results of earlier steps on this host, by their `register` name. */
  [registered: string]: unknown;
}

export interface RunInfo {
  id: string;
  started: string;
  runbook: string;
  version: string;
  inventory: string;
  check: boolean;
}

/** The names a template may start a path with, besides registered results. */
export const CONTEXT_ROOTS = ['params', 'vars', 'host', 'groups', 'hostvars', 'run', 'secrets', 'item'] as const;
