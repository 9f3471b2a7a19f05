import { type Result, fail, ok } from '../diagnostics/result.js';
import { paramValueProblem, showValue } from '../runbook/param-shape.js';
import { isRecord } from '../runbook/raw.js';
import type { ParamSpec } from '../runbook/types.js';

/** A `--param` problem, in words; the caller adds where it came from. */
export interface ParamProblem {
  name: string;
  message: string;
}

/**
 * A runbook's params as the caller has them: `--param key=value` text from a command line, or
 * typed values (a drill's YAML). Both are checked against the runbook's specs the same way.
 */
export interface ParamInput {
  assignments?: readonly string[];
  values?: Readonly<Record<string, unknown>>;
}

/** Where a param's value came from, for an error about it. */
type Source = 'default' | 'resumed' | 'assigned' | 'given';

const SOURCE_WORDS: Record<Source, string> = {
  default: ' (its default)',
  resumed: " (from the resumed run's params)",
  assigned: '',
  given: '',
};

/** Params being resolved: each value with where it came from. */
type Values = Map<string, { value: unknown; source: Source }>;

/**
 * Turns `--param key=value` pairs into typed values (numbers and booleans are parsed, a list
 * is a JSON array or a comma-separated string) and takes typed `values` as they are. Unknown
 * names and missing required params are problems; `previous` values (a resumed run's), then
 * defaults, fill the rest. Every value,
 * wherever it came from, must then fit its spec (type, enum, pattern, format, lengths): a value
 * reaches interpreters that shell quoting does not protect (mysql's `\!`, tar's options).
 */
export function resolveParams(
  specs: Record<string, ParamSpec>,
  input: ParamInput,
  previous: Record<string, unknown> = {},
): Result<Record<string, unknown>, ParamProblem[]> {
  const problems: ParamProblem[] = [];
  // A journal is a file on disk: what it says a run was given is checked like anything else.
  const earlier = isRecord(previous) ? previous : {};
  if (earlier !== previous) problems.push({ name: '', message: `the resumed run's params are ${showValue(previous)}, not a mapping of names to values` });
  const values: Values = new Map();
  for (const [name, spec] of Object.entries(specs)) {
    const resumed = Object.hasOwn(earlier, name);
    const value = resumed ? earlier[name] : spec.default;
    if (value !== undefined) values.set(name, { value, source: resumed ? 'resumed' : 'default' });
  }
  for (const [name, value] of Object.entries(input.values ?? {})) {
    if (Object.hasOwn(specs, name)) values.set(name, { value, source: 'given' });
    else problems.push({ name, message: unknownParam(specs, name) });
  }
  for (const assignment of input.assignments ?? []) assign(specs, assignment, values, problems);
  for (const [name, spec] of Object.entries(specs)) {
    const given = values.get(name);
    const problem = given === undefined ? undefined : paramValueProblem(`param '${name}'`, spec, given.value);
    if (given === undefined && spec.required) problems.push({ name, message: `param '${name}' is required` });
    if (problem !== undefined && given !== undefined) problems.push({ name, message: problem.message + SOURCE_WORDS[given.source] });
  }
  if (problems.length > 0) return fail(problems);
  return ok(Object.fromEntries([...values].map(([name, { value }]) => [name, value])));
}

/** One `--param key=value`: its value parsed by the param's type into `values`, or a problem. */
function assign(specs: Record<string, ParamSpec>, assignment: string, values: Values, problems: ParamProblem[]): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) {
    problems.push({ name: assignment, message: `--param '${assignment}' is not of the form key=value` });
    return;
  }
  const name = assignment.slice(0, eq);
  const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
  if (!spec) {
    problems.push({ name, message: unknownParam(specs, name) });
    return;
  }
  const parsed = parseValue(spec, assignment.slice(eq + 1));
  if (parsed.ok) values.set(name, { value: parsed.value, source: 'assigned' });
  else problems.push({ name, message: `param '${name}': ${parsed.error}` });
}

function unknownParam(specs: Record<string, ParamSpec>, name: string): string {
  return `unknown param '${name}' (this runbook takes: ${Object.keys(specs).join(', ') || 'none'})`;
}

/** A typed value, or what is wrong with the text. */
type Parsed = Result<unknown, string>;

function parseValue(spec: ParamSpec, text: string): Parsed {
  switch (spec.type) {
    case 'string':
      return ok(text);
    case 'number':
    case 'integer': {
      const value = Number(text);
      const valid = text.trim() !== '' && Number.isFinite(value) && (spec.type === 'number' || Number.isInteger(value));
      return valid ? ok(value) : fail(`'${text}' is not ${spec.type === 'integer' ? 'an integer' : 'a number'}`);
    }
    case 'boolean':
      if (['true', 'yes', '1'].includes(text)) return ok(true);
      if (['false', 'no', '0'].includes(text)) return ok(false);
      return fail(`'${text}' is not a boolean (true/false)`);
    case 'array':
      return parseList(text);
    case 'object':
      return parseJson(text, (v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'a JSON object');
    default: {
      const unreachable: never = spec.type;
      return fail(`unsupported type ${String(unreachable)}`);
    }
  }
}

function parseList(text: string): Parsed {
  if (text.trimStart().startsWith('[')) return parseJson(text, Array.isArray, 'a JSON list');
  return ok(text === '' ? [] : text.split(',').map((part) => part.trim()));
}

function parseJson(text: string, accept: (value: unknown) => boolean, what: string): Parsed {
  try {
    const value: unknown = JSON.parse(text);
    return accept(value) ? ok(value) : fail(`'${text}' is not ${what}`);
  } catch {
    return fail(`'${text}' is not ${what}`);
  }
}
