import type { Diagnostic } from './diagnostic.js';
import { type Result, fail, ok } from './result.js';
import { schemaErrorDiagnostics, type SchemaMessageOptions } from './schema-errors.js';
import { type SchemaName, schemaValidator } from './schemas.js';
import { parsePositionedYaml, type PositionedYaml } from './yaml.js';

/**
 * YAML text checked against a JSON Schema: the plain value with its `yaml`, which can point at
 * any key path so callers can add errors of their own (rules a schema cannot express) at the
 * right line and column; or every YAML and schema error as a positioned diagnostic.
 */
export type YamlSchemaResult<T> = Result<{ value: T; yaml: PositionedYaml }>;

/**
 * Parses `text` (named `file` in diagnostics) and validates it against a shipped schema (by
 * name) or a schema object. The validator is compiled on first use and cached. A YAML syntax
 * error stops there: a half-parsed document would only produce misleading schema errors.
 */
export function parseYamlWithSchema<T>(file: string, text: string, schema: SchemaName | object, options: SchemaMessageOptions = {}): YamlSchemaResult<T> {
  const yaml = parsePositionedYaml(file, text);
  if (yaml.errors.length > 0) return fail(yaml.errors);
  const validate = schemaValidator(schema);
  if (validate(yaml.value)) return ok({ value: yaml.value as T, yaml });
  return fail(sortByPosition(schemaErrorDiagnostics(validate.errors ?? [], yaml, options)));
}

/** Diagnostics in reading order: by line, then column. */
export function sortByPosition(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
