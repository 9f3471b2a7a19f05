import { isRecord } from './raw.js';

/**
 * Why a step's `loop` is not a list known before the run, if it is not: a literal list is,
 * `params.<name>` is when the param has type array, `vars.<name>` when the var is a YAML list.
 * Other paths (registered results, host vars) cannot be checked statically, so they are
 * refused rather than left to fail at 3 a.m.
 */
export function loopProblem(loop: unknown, raw: Record<string, unknown>): string | undefined {
  if (typeof loop !== 'string') return undefined;
  const [root, name, ...rest] = loop.split('.');
  if (rest.length > 0 || !name || (root !== 'params' && root !== 'vars')) {
    return `loop '${loop}': a loop path must be params.<name> or vars.<name> (or write the list itself)`;
  }
  if (root === 'params') {
    const param = isRecord(raw.params) ? raw.params[name] : undefined;
    if (!isRecord(param)) return `loop '${loop}': no param '${name}' is declared`;
    return param.type === 'array' ? undefined : `loop '${loop}' is not a list: param '${name}' has type ${String(param.type)}`;
  }
  if (!isRecord(raw.vars) || !Object.hasOwn(raw.vars, name)) return `loop '${loop}': no var '${name}' is declared`;
  return Array.isArray(raw.vars[name]) ? undefined : `loop '${loop}' is not a list: var '${name}' is not a YAML list`;
}
