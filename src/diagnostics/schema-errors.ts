import type { ErrorObject } from 'ajv';
import type { Diagnostic } from './diagnostic.js';
import { closest } from './edit-distance.js';
import { formatPath, type PathSegment, pathSegments, type PositionedYaml } from './yaml.js';

/** How schema errors are worded for one kind of document. */
export interface SchemaMessageOptions {
  /** The whole document in words, e.g. `the runbook` (default `the document`). */
  subject?: string;
  /** Where a key path is, in words: `steps[0]` -> `step 'first'` (default: the path itself). */
  where?: (segments: readonly PathSegment[]) => string;
  /** Keys users bring from elsewhere, with what they mean here: `command` -> `run`. */
  aliases?: Readonly<Record<string, string>>;
}

/**
 * ajv's errors as diagnostics, each at the position of what it is about: an unknown key at the
 * key itself (named, with a "did you mean"), a missing key at the mapping that lacks it, any
 * other error at the offending value.
 */
export function schemaErrorDiagnostics(errors: readonly ErrorObject[], yaml: PositionedYaml, options: SchemaMessageOptions = {}): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  const misspelt = misspeltRequired(errors, options);
  for (const error of withoutNoise(errors)) {
    // `stat: started` gives "unknown key 'stat' (did you mean 'state'?)"; "missing 'state'" adds nothing.
    if (error.keyword === 'required' && misspelt.has(`${error.instancePath}/${String(error.params.missingProperty)}`)) continue;
    const diagnostic = toDiagnostic(error, yaml, options);
    const key = `${diagnostic.path ?? ''}\0${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diagnostic);
  }
  return out;
}

/** `<instancePath>/<key>` of each allowed key that an unknown key next to it is a typo of. */
function misspeltRequired(errors: readonly ErrorObject[], options: SchemaMessageOptions): Set<string> {
  const meant = new Set<string>();
  for (const error of errors) {
    if (error.keyword !== 'additionalProperties') continue;
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    const near = suggestion(key, allowedKeys(error), options);
    if (near !== undefined) meant.add(`${error.instancePath}/${near}`);
  }
  return meant;
}

/**
 * oneOf/anyOf report "must match exactly one schema" on top of each branch's own errors; the
 * branch errors say more, so the summary is kept only when it is all there is.
 */
function withoutNoise(errors: readonly ErrorObject[]): ErrorObject[] {
  return errors.filter((error) => {
    // "property name must be valid" sums up the name's own error (propertyName set), which says which.
    if (error.keyword === 'propertyNames') return false;
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') return true;
    return !errors.some((other) => other !== error && other.instancePath.startsWith(error.instancePath) && other.keyword !== error.keyword);
  });
}

function toDiagnostic(error: ErrorObject, yaml: PositionedYaml, options: SchemaMessageOptions): Diagnostic {
  const segments = pathSegments(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    const where = [...segments, key];
    return { severity: 'error', ...yaml.positionOf(where), path: formatPath(where), message: unknownKeyMessage(key, allowedKeys(error), segments, options) };
  }
  if (error.propertyName !== undefined) {
    // A key's name that breaks the mapping's propertyNames (an env variable's name): at the key.
    const where = [...segments, error.propertyName];
    const message = error.keyword === 'pattern' ? `key '${error.propertyName}' does not match ${String(error.params.pattern)}` : `key '${error.propertyName}': ${describe(error, where, options)}`;
    return { severity: 'error', ...yaml.positionOf(where), path: formatPath(where), message };
  }
  const path = formatPath(segments);
  // A missing key is about the mapping that lacks it; any other error is about a value.
  const position = error.keyword === 'required' ? yaml.positionOf(segments) : yaml.valuePositionOf(segments);
  return { severity: 'error', ...position, ...(path ? { path } : {}), message: describe(error, segments, options) };
}

function allowedKeys(error: ErrorObject): string[] {
  return Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
}

function whereIs(segments: readonly PathSegment[], options: SchemaMessageOptions): string {
  if (segments.length === 0) return options.subject ?? 'the document';
  return options.where ? options.where(segments) : formatPath(segments);
}

function unknownKeyMessage(key: string, allowed: string[], at: readonly PathSegment[], options: SchemaMessageOptions): string {
  const where = at.length === 0 ? 'at the top level' : `in ${whereIs(at, options)}`;
  const near = suggestion(key, allowed, options);
  // A long list of every allowed key helps nobody; a short one (a module's few keys) does.
  const hint = near !== undefined ? ` (did you mean '${near}'?)` : allowed.length > 0 && allowed.length <= 12 ? ` (allowed: ${allowed.join(', ')})` : '';
  return `unknown key '${key}' ${where}${hint}`;
}

/** The allowed key an unknown key most likely means. */
function suggestion(key: string, allowed: readonly string[], options: SchemaMessageOptions): string | undefined {
  return closest(key, allowed) ?? aliasOf(key, options.aliases ?? {}, allowed);
}

/** What a foreign key (or a typo of one: `comand`) means here, if that key is allowed here. */
function aliasOf(key: string, aliases: Readonly<Record<string, string>>, allowed: readonly string[]): string | undefined {
  const foreign = Object.hasOwn(aliases, key) ? key : closest(key, Object.keys(aliases));
  const meant = foreign === undefined ? undefined : aliases[foreign];
  return meant !== undefined && allowed.includes(meant) ? meant : undefined;
}

function describe(error: ErrorObject, segments: readonly PathSegment[], options: SchemaMessageOptions): string {
  const name = segments.length === 0 ? (options.subject ?? 'the document') : `'${formatPath(segments)}'`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `missing required key '${String(params.missingProperty)}' in ${whereIs(segments, options)}`;
    case 'const':
      return `${name} must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      return `${name} must be ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`}`;
    }
    case 'type':
      return `${name} must be ${String(params.type).split(',').map(typeWord).join(' or ')}${typeHint(segments, error.data)}`;
    case 'pattern': {
      // The schema's own wording, which VS Code's YAML extension shows too.
      const wording = (error.parentSchema as { patternErrorMessage?: string } | undefined)?.patternErrorMessage;
      return wording ? `${name} is ${JSON.stringify(error.data)}: ${wording}` : `${name} does not match ${String(params.pattern)}`;
    }
    case 'minLength':
      return `${name} must not be empty`;
    case 'minItems':
      return `${name} must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`;
    case 'minimum':
    case 'maximum':
      return `${name} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}`;
    default:
      return `${name} ${error.message ?? 'is invalid'}`;
  }
}

/** YAML reads some strings as numbers; say so where it bites. */
function typeHint(segments: readonly PathSegment[], data: unknown): string {
  if (segments.at(-1) === 'mode' && typeof data === 'number') return ' (an octal mode in quotes, e.g. "0640": YAML reads 0750 as the number 750)';
  if (data === null) return ' (the value is empty)';
  // YAML 1.1 (Ansible's PyYAML) read these as booleans; YAML 1.2 reads them as strings.
  if (typeof data === 'string' && /^(yes|no|on|off)$/i.test(data)) return ` (YAML reads ${data} as a string: write ${/^(yes|on)$/i.test(data) ? 'true' : 'false'})`;
  return '';
}

/** JSON Schema's type names in the words of YAML. */
function typeWord(type: string): string {
  const words: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', null: 'empty' };
  return words[type] ?? type;
}
