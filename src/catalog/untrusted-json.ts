import { type Result, fail, ok } from '../diagnostics/result.js';
import { schemaErrorDiagnostics } from '../diagnostics/schema-errors.js';
import { type SchemaName, schemaValidator } from '../diagnostics/schemas.js';
import { parsePositionedYaml } from '../diagnostics/yaml.js';
import { sortByPosition } from '../diagnostics/yaml-schema.js';

/** An untrusted JSON file of the catalog: its value, or what is wrong with it in words. */
export type JsonParse = Result<Record<string, unknown>, string>;

/** More than this many schema errors say no more than the first ones do. */
const SHOWN_ERRORS = 5;
/**
 * Deeper than any file of the catalog is written (a manifest's `contents` are a few levels). A
 * hostile file nested thousands deep is refused before the schema and the YAML positions see
 * it: the recursive YAML reader would overflow the stack, and V8 can then die of it outright.
 */
const MAX_DEPTH = 32;

/**
 * JSON text (the file `name` of a backup folder) checked against a shipped schema. Problems name
 * the field, the value and where it is (`manifest.json:12:15: 'files[2].name' is "../x": ...`):
 * JSON is YAML, so the positions come from the YAML reader the runbook diagnostics use.
 */
export function parseUntrustedJson(name: string, text: string, schema: SchemaName): JsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('not a JSON object');
  if (deeperThan(value, MAX_DEPTH)) return fail(`nested more than ${MAX_DEPTH} levels deep`);
  const validate = schemaValidator(schema);
  if (validate(value)) return ok(value as Record<string, unknown>);
  const diagnostics = sortByPosition(schemaErrorDiagnostics(validate.errors ?? [], parsePositionedYaml(name, text), { subject: name }));
  const shown = diagnostics.slice(0, SHOWN_ERRORS).map((d) => `${d.file}:${d.line ?? 1}:${d.column ?? 1}: ${d.message}`);
  if (diagnostics.length > SHOWN_ERRORS) shown.push(`and ${diagnostics.length - SHOWN_ERRORS} more`);
  return fail(shown.join('; '));
}

/** Only the keys a reader knows: keys a newer writer added are allowed by the schema, and dropped here. */
export function knownKeys<T>(value: Record<string, unknown>, keys: readonly (keyof T & string)[]): T {
  return Object.fromEntries(keys.filter((k) => Object.hasOwn(value, k)).map((k) => [k, value[k]])) as T;
}

/** Whether a parsed JSON value nests objects or arrays more than `limit` deep; iterative, so any depth is safe. */
function deeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}
