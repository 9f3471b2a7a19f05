import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { PositionedYaml } from '../diagnostics/yaml.js';

/** A rule's finding: a diagnostic that may replace the schema's vaguer one at the same path. */
export interface Finding extends Diagnostic {
  path: string;
  /** The schema complains about this value too, less helpfully (e.g. `must match pattern`). */
  supersedesSchema?: boolean;
}

/** Where a finding points: at the offending value (default) or at the key that must not be there. */
export interface FindingOptions {
  at?: 'key' | 'value';
  supersedesSchema?: boolean;
}

/** Collects findings, each positioned at its key path. */
export class Findings {
  readonly list: Finding[] = [];
  constructor(readonly yaml: PositionedYaml) {}

  add(path: string, message: string, options: FindingOptions = {}): void {
    const position = options.at === 'key' ? this.yaml.positionOf(path) : this.yaml.valuePositionOf(path);
    this.list.push({ severity: 'error', ...position, path, message, ...(options.supersedesSchema ? { supersedesSchema: true } : {}) });
  }
}

/**
 * Schema and rule diagnostics together: both run, so a user sees every problem at once; a
 * rule's finding replaces the schema's error at the same path where it says so.
 */
export function mergeFindings(schema: readonly Diagnostic[], findings: readonly Finding[]): Diagnostic[] {
  const superseded = new Set(findings.filter((f) => f.supersedesSchema).map((f) => f.path));
  const kept = schema.filter((d) => d.path === undefined || !superseded.has(d.path));
  return [...kept, ...findings.map(({ supersedesSchema: _, ...diagnostic }) => diagnostic)];
}
