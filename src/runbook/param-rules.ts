import { isDeepStrictEqual } from 'node:util';
import type { Findings } from './findings.js';
import { isRecord } from './raw.js';

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

/**
 * A param's default must be a value the param could be given: of its type, its items of the
 * items' type, one of its enum. Caught here, a wrong default never reaches a 3 a.m. run.
 */
export function paramFindings(params: unknown, findings: Findings): void {
  if (!isRecord(params)) return;
  for (const [name, spec] of Object.entries(params)) {
    if (!isRecord(spec) || typeof spec.type !== 'string') continue;
    const at = `params.${name}`;
    if (spec.items !== undefined && spec.type !== 'array') findings.add(`${at}.items`, `param '${name}' has items but type ${spec.type}; items go with type array`, { at: 'key' });
    if (Array.isArray(spec.enum)) {
      spec.enum.forEach((value: unknown, index) => {
        if (!hasParamType(value, spec.type)) findings.add(`${at}.enum[${index}]`, `param '${name}' enum value ${JSON.stringify(value)} is not of type ${spec.type}`);
      });
    }
    if (spec.default === undefined) continue;
    if (!hasParamType(spec.default, spec.type)) {
      findings.add(`${at}.default`, `param '${name}' default ${JSON.stringify(spec.default)} is not of type ${spec.type}`);
    } else if (Array.isArray(spec.enum) && !spec.enum.some((v: unknown) => isDeepStrictEqual(v, spec.default))) {
      findings.add(`${at}.default`, `param '${name}' default ${JSON.stringify(spec.default)} is not one of its enum`);
    } else if (Array.isArray(spec.default) && isRecord(spec.items) && typeof spec.items.type === 'string') {
      const itemType = spec.items.type;
      spec.default.forEach((item: unknown, index) => {
        if (!hasParamType(item, itemType)) findings.add(`${at}.default[${index}]`, `param '${name}' default item ${JSON.stringify(item)} is not of type ${itemType}`);
      });
    }
  }
}
