import type { Diagnostic } from './diagnostic.js';
import { schemaErrorDiagnostics, type SchemaMessageOptions } from './schema-errors.js';
import { type SchemaName, schemaValidator } from './schemas.js';
import { parsePositionedYaml, type PositionedYaml } from './yaml.js';

/**
 * YAML text checked against a JSON Schema: the plain value, or every YAML and schema error as
 * a positioned diagnostic. Either way `yaml` can point at any key path, so callers can add
 * errors of their own (rules a schema cannot express) at the right line and column.
 */
export type YamlSchemaResult<T> =
  | { ok: true; value: T; yaml: PositionedYaml }
  | { ok: false; diagnostics: Diagnostic[]; yaml: PositionedYaml };

/**
 * Parses `text` (named `file` in diagnostics) and validates it against a shipped schema (by
 * name) or a schema object. The validator is compiled on first use and cached. A YAML syntax
 * error stops there: a half-parsed document would only produce misleading schema errors.
 */
export function parseYamlWithSchema<T>(file: string, text: string, schema: SchemaName | object, options: SchemaMessageOptions = {}): YamlSchemaResult<T> {
  const yaml = parsePositionedYaml(file, text);
  if (yaml.errors.length > 0) return { ok: false, diagnostics: yaml.errors, yaml };
  const validate = schemaValidator(schema);
  if (validate(yaml.value)) return { ok: true, value: yaml.value as T, yaml };
  return { ok: false, diagnostics: sortByPosition(schemaErrorDiagnostics(validate.errors ?? [], yaml, options)), yaml };
}

/** Diagnostics in reading order: by line, then column. */
export function sortByPosition(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
