import { isDeepStrictEqual } from 'node:util';
import { type Result, fail, ok } from '../diagnostics/result.js';
import { isRecord } from './raw.js';
import type { ParamFormat, ParamSpec, ParamType, StringShape } from './types.js';

/**
 * The named formats of string params: the values an OpenStack operator passes. Each refuses
 * spaces, quotes, `;`, `$`, backticks, `\` and a leading `-`, so that a value fits every
 * interpreter it may reach (sh, mysql's `\!`, tar's and systemctl's options), not only the shell.
 */
export const PARAM_FORMATS: Readonly<Record<ParamFormat, { regex: RegExp; says: string }>> = {
  identifier: {
    regex: /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
    says: 'letters, digits and _, not starting with a digit, at most 64',
  },
  service: {
    regex: /^[A-Za-z0-9_][A-Za-z0-9_.:@-]{0,254}$/,
    says: 'a systemd unit name: letters, digits and _ . : @ -, not starting with - or .',
  },
  path: {
    // One or more `/name`, no name `.` or `..`.
    regex: /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9._+@:-]+)+$/,
    says: 'an absolute path, /-separated names of letters, digits and . _ + @ : -, none of them . or ..',
  },
  hostname: {
    regex: /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9])?$/,
    says: 'letters, digits and _ . -, starting and ending with a letter or digit',
  },
  'backup-id': {
    // The run-id shape of journal.ts newRunId: a backup's id is the id of the run that stored it.
    regex: /^(?:latest|[0-9]{8}-[0-9]{6}-[0-9a-f]{4})$/,
    says: 'latest, or the run id of a backup: YYYYMMDD-HHMMSS-xxxx',
  },
  duration: {
    regex: /^[0-9]+(?:\.[0-9]+)?(?:ms|s|m|h|d)?$/,
    says: '500ms, 30s, 10m, 1h or 90d',
  },
};

/** The format names, in the order errors and docs list them. */
export const FORMAT_NAMES = Object.keys(PARAM_FORMATS) as ParamFormat[];

/** Whether a runbook's `format:` names a format (own keys only: not `constructor`). */
export function isFormat(name: unknown): name is ParamFormat {
  return typeof name === 'string' && Object.hasOwn(PARAM_FORMATS, name);
}

/** A pattern ready to test values with, or why it is not a regex. */
export type CompiledPattern = Result<RegExp, string>;

const compiled = new Map<string, CompiledPattern>();

/**
 * A param pattern as the regex the whole value must match. Compiled alone first, so that a
 * pattern like `a)|(b` is refused instead of changing the meaning of the anchors around it.
 */
export function compilePattern(source: string): CompiledPattern {
  let result = compiled.get(source);
  if (result === undefined) {
    try {
      new RegExp(source, 'u');
      result = ok(new RegExp(`^(?:${source})$`, 'u'));
    } catch (error) {
      result = fail(error instanceof Error ? error.message : String(error));
    }
    compiled.set(source, result);
  }
  return result;
}

/**
 * Whether a spec (or an `items`) says which strings it takes: a pattern, a format or an enum.
 * Lengths alone do not: they allow every character.
 */
export function hasShape(shape: StringShape): boolean {
  return shape.pattern !== undefined || shape.format !== undefined || shape.enum !== undefined;
}

/** The shape in words, for errors: `format identifier (letters, ...)`, `pattern [a-z]+`. */
export function describeShape(shape: StringShape): string {
  const parts: string[] = [];
  if (shape.format !== undefined) parts.push(`format ${shape.format} (${PARAM_FORMATS[shape.format].says})`);
  if (shape.pattern !== undefined) parts.push(`pattern ${shape.pattern}`);
  if (shape.enum !== undefined) parts.push(`one of ${shape.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (shape.minLength !== undefined) parts.push(`length at least ${shape.minLength}`);
  if (shape.maxLength !== undefined) parts.push(`length at most ${shape.maxLength}`);
  return parts.join(', ');
}

/**
 * A value as given, for an error: between quotes when it is printable ASCII (a backslash stays
 * one backslash), as JSON otherwise (a newline or an escape sequence must not reach a terminal raw).
 */
export function showValue(value: unknown): string {
  return typeof value === 'string' && /^[\x20-\x7e]*$/.test(value) ? `'${value}'` : JSON.stringify(value) ?? String(value);
}

/** Whether a value is one of the allowed ones, compared as data (a list default against list enums). */
export function inEnum(value: unknown, allowed: readonly unknown[]): boolean {
  return allowed.some((a) => isDeepStrictEqual(a, value));
}

/** Whether a string fits a shape; a pattern that does not compile fits nothing. */
export function fitsShape(value: string, shape: StringShape): boolean {
  if (shape.enum !== undefined && !inEnum(value, shape.enum)) return false;
  if (shape.format !== undefined && !PARAM_FORMATS[shape.format].regex.test(value)) return false;
  if (shape.pattern !== undefined) {
    const pattern = compilePattern(shape.pattern);
    if (!pattern.ok || !pattern.value.test(value)) return false;
  }
  // Code points, as the `u` patterns count them.
  const length = [...value].length;
  return (shape.minLength === undefined || length >= shape.minLength) && (shape.maxLength === undefined || length <= shape.maxLength);
}

/** Why a value does not fit a spec; `item` is the index of the list item that does not. */
export interface ValueProblem {
  message: string;
  item?: number;
}

/**
 * Why a param's value does not fit its spec (type, enum, shape; each item of a list), or
 * undefined. `label` says whose value it is (`param 'x'`, `param 'x' default`); the words name
 * the value as given and the shape expected.
 */
export function paramValueProblem(label: string, spec: ParamSpec, value: unknown): ValueProblem | undefined {
  const problem = scalarProblem(label, spec, value);
  if (problem !== undefined) return { message: problem };
  // items may be null in a file the schema refuses (`items:` left empty): that error is reported there.
  if (!Array.isArray(value) || typeof spec.items !== 'object' || spec.items === null) return undefined;
  for (const [index, item] of (value as unknown[]).entries()) {
    const message = scalarProblem(`${label} item`, spec.items, item);
    if (message !== undefined) return { message, item: index };
  }
  return undefined;
}

function scalarProblem(label: string, shape: StringShape & { type: ParamType }, value: unknown): string | undefined {
  if (!hasParamType(value, shape.type)) return `${label} ${showValue(value)} is not of type ${shape.type}`;
  if (shape.enum !== undefined && !inEnum(value, shape.enum)) return `${label} ${showValue(value)} is not one of ${shape.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (typeof value === 'string' && !fitsShape(value, shape)) return `${label} ${showValue(value)} does not fit ${describeShape(shape)}`;
  return undefined;
}

/** Whether a value has a param type (the JSON Schema names: integer is a whole number). */
export function hasParamType(value: unknown, type: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isRecord(value);
    default:
      return false;
  }
}
