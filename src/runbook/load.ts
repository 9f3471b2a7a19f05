import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Diagnostic, ValidationError } from '../diagnostics/diagnostic.js';
import { parsePositionedYaml } from '../diagnostics/yaml.js';
import { normalizeRunbook } from './normalize.js';
import type { RawRunbook } from './raw.js';
import { schemaDiagnostics } from './schema.js';
import { semanticDiagnostics } from './semantics.js';
import type { Runbook } from './types.js';

export type ParseResult = { ok: true; runbook: Runbook } | { ok: false; diagnostics: Diagnostic[] };

/**
 * YAML text -> validated Runbook, or every problem at once: YAML syntax, schema (unknown keys
 * included) and the rules the schema cannot express. Checks that need an inventory (host
 * patterns) or the template context happen when the plan is built.
 */
export function parseRunbook(file: string, text: string): ParseResult {
  const path = resolve(file);
  const yaml = parsePositionedYaml(path, text);
  if (yaml.errors.length > 0) return { ok: false, diagnostics: yaml.errors };
  if (yaml.value === null || typeof yaml.value !== 'object' || Array.isArray(yaml.value)) {
    return { ok: false, diagnostics: [{ severity: 'error', ...yaml.positionOf([]), message: 'a runbook is a YAML mapping (apiVersion, name, version, steps, ...)' }] };
  }
  const schema = schemaDiagnostics(yaml);
  if (schema.length > 0) return { ok: false, diagnostics: sortByPosition(schema) };
  const raw = yaml.value as RawRunbook;
  const semantic = semanticDiagnostics(raw, yaml);
  if (semantic.length > 0) return { ok: false, diagnostics: sortByPosition(semantic) };
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { ok: true, runbook: normalizeRunbook(raw, yaml, { file: path, text, sha256, positionOf: (p) => yaml.positionOf(p), valuePositionOf: (p) => yaml.valuePositionOf(p) }) };
}

/** Reads and parses a runbook file; throws {@link ValidationError} with every problem. */
export function loadRunbook(file: string, text?: string): Runbook {
  let content = text;
  if (content === undefined) {
    try {
      content = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ValidationError([{ severity: 'error', file, message: `cannot read runbook: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
    }
  }
  const result = parseRunbook(file, content);
  if (!result.ok) throw new ValidationError(result.diagnostics);
  return result.runbook;
}

function sortByPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
