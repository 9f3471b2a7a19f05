import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { PositionedYaml } from '../diagnostics/yaml.js';
import { formatPath, pathSegments } from '../diagnostics/yaml.js';

// dist/src/runbook/ or src/runbook/ -> the package root's schemas/.
const SCHEMA_URL = new URL('../../../schemas/runbook.schema.json', import.meta.url);
const SOURCE_SCHEMA_URL = new URL('../../schemas/runbook.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;

// ajv is CommonJS: its class is the default export's `default` under NodeNext.
const Ajv = AjvModule.default;

/** Compiled on first use (the CLI imports this module only for commands that load runbooks). */
function validator(): ValidateFunction {
  if (compiled) return compiled;
  const text = readSchemaText();
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
  compiled = ajv.compile(JSON.parse(text) as object);
  return compiled;
}

function readSchemaText(): string {
  try {
    return readFileSync(fileURLToPath(SCHEMA_URL), 'utf8');
  } catch {
    return readFileSync(fileURLToPath(SOURCE_SCHEMA_URL), 'utf8');
  }
}

/** Schema errors of a runbook value, each at the position of the key it is about. */
export function schemaDiagnostics(yaml: PositionedYaml): Diagnostic[] {
  const validate = validator();
  if (validate(yaml.value)) return [];
  return (validate.errors ?? []).map((error) => toDiagnostic(error, yaml));
}

function toDiagnostic(error: ErrorObject, yaml: PositionedYaml): Diagnostic {
  const segments = pathSegments(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    const where = [...segments, key];
    return { severity: 'error', ...yaml.positionOf(where), path: formatPath(where), message: unknownKeyMessage(key, allowed, segments) };
  }
  const path = formatPath(segments);
  // A missing key is about the mapping that lacks it; any other error is about a value.
  const position = error.keyword === 'required' ? yaml.positionOf(segments) : yaml.valuePositionOf(segments);
  return { severity: 'error', ...position, ...(path ? { path } : {}), message: describe(error, segments) };
}

function unknownKeyMessage(key: string, allowed: string[], at: readonly (string | number)[]): string {
  const near = allowed.filter((k) => editDistance(k, key) <= Math.max(1, Math.floor(key.length / 3)));
  const where = at.length === 0 ? 'at the top level' : `in ${formatPath(at)}`;
  const hint = near.length > 0 ? ` (did you mean '${near[0]}'?)` : allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : '';
  return `unknown key '${key}' ${where}${hint}`;
}

function describe(error: ErrorObject, segments: readonly (string | number)[]): string {
  const name = segments.length === 0 ? 'the runbook' : `'${formatPath(segments)}'`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `missing required key '${String(params.missingProperty)}' in ${segments.length === 0 ? 'the runbook' : formatPath(segments)}`;
    case 'const':
      return `${name} must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `${name} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${name} must be ${String(params.type).replace(',', ' or ')}${segments.at(-1) === 'mode' ? ' (an octal mode in quotes, e.g. "0640": YAML reads 0750 as the number 750)' : ''}`;
    case 'pattern':
      return `${name} does not match ${String(params.pattern)}${patternHint(String(params.pattern))}`;
    default:
      return `${name} ${error.message ?? 'is invalid'}`;
  }
}

function patternHint(pattern: string): string {
  if (pattern.startsWith('^[a-z0-9]+(-')) return ' (kebab-case: lower-case words joined by -)';
  if (pattern.startsWith('^0?[0-7]')) return ' (an octal mode as a quoted string, e.g. "0640")';
  return '';
}

/** Levenshtein distance, for "did you mean" on unknown keys. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
