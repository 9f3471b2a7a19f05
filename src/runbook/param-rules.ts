import type { Findings } from './findings.js';
import { FORMAT_NAMES, compilePattern, hasParamType, isFormat, paramValueProblem } from './param-shape.js';
import { isRecord } from './raw.js';
import type { ParamSpec } from './types.js';

const STRING_SHAPE_KEYS = ['pattern', 'format', 'minLength', 'maxLength'] as const;

/**
 * A param's spec must make sense and its default must be a value the param could be given: of
 * its type, its items of the items' type, one of its enum, of its shape. Caught here, a wrong
 * default or a broken pattern never reaches a 3 a.m. run.
 */
export function paramFindings(params: unknown, findings: Findings): void {
  if (!isRecord(params)) return;
  for (const [name, spec] of Object.entries(params)) {
    if (!isRecord(spec) || typeof spec.type !== 'string') continue;
    const at = `params.${name}`;
    if (spec.items !== undefined && spec.type !== 'array') findings.add(`${at}.items`, `param '${name}' has items but type ${spec.type}; items go with type array`, { at: 'key' });
    const shapeOk = shapeFindings(`param '${name}'`, spec, at, findings);
    const items = isRecord(spec.items) && spec.type === 'array' ? spec.items : undefined;
    const itemsOk = items === undefined || shapeFindings(`param '${name}' items`, items, `${at}.items`, findings);
    if (Array.isArray(spec.enum)) {
      spec.enum.forEach((value: unknown, index) => {
        if (!hasParamType(value, spec.type)) findings.add(`${at}.enum[${index}]`, `param '${name}' enum value ${JSON.stringify(value)} is not of type ${spec.type}`);
      });
    }
    if (spec.default === undefined || !shapeOk || !itemsOk) continue;
    defaultFinding(name, spec, at, findings);
  }
}

/**
 * The string shape keywords of a spec or its items: only on strings, a pattern that compiles,
 * lengths in order. False when the shape cannot be used to check a value.
 */
function shapeFindings(label: string, shape: Record<string, unknown>, at: string, findings: Findings): boolean {
  let ok = true;
  for (const key of STRING_SHAPE_KEYS) {
    if (shape[key] === undefined || shape.type === 'string') continue;
    const where = shape.type === 'array' ? ' (for a list, put it under items)' : '';
    findings.add(`${at}.${key}`, `${label} has ${key} but type ${String(shape.type)}: ${key} shapes a string${where}`, { at: 'key' });
    ok = false;
  }
  // Wrong types are the schema's to report; the shape is then no use for checking the default.
  if (!shapeTypesOk(shape)) ok = false;
  if (shape.format !== undefined && !isFormat(shape.format)) {
    findings.add(`${at}.format`, `${label} format ${JSON.stringify(shape.format)} is not one of ${FORMAT_NAMES.join(', ')}`, { supersedesSchema: true });
    ok = false;
  }
  if (typeof shape.pattern === 'string') {
    const pattern = compilePattern(shape.pattern);
    if (!pattern.ok) {
      findings.add(`${at}.pattern`, `${label} pattern is not a valid regex: ${pattern.error}`);
      ok = false;
    }
  }
  if (typeof shape.minLength === 'number' && typeof shape.maxLength === 'number' && shape.minLength > shape.maxLength) {
    findings.add(`${at}.minLength`, `${label} minLength ${shape.minLength} is more than its maxLength ${shape.maxLength}`);
    ok = false;
  }
  return ok;
}

function shapeTypesOk(shape: Record<string, unknown>): boolean {
  const { pattern, minLength, maxLength, enum: allowed } = shape;
  const length = (n: unknown): boolean => n === undefined || (Number.isInteger(n) && (n as number) >= 0);
  return (pattern === undefined || typeof pattern === 'string') && length(minLength) && length(maxLength) && (allowed === undefined || Array.isArray(allowed));
}

/** The default against the whole spec, at the default (or the list item) that does not fit. */
function defaultFinding(name: string, spec: Record<string, unknown>, at: string, findings: Findings): void {
  // The schema has checked the spec's keys by now (or reports them itself).
  const problem = paramValueProblem(`param '${name}' default`, spec as unknown as ParamSpec, spec.default);
  if (problem !== undefined) findings.add(problem.item === undefined ? `${at}.default` : `${at}.default[${problem.item}]`, problem.message);
}
