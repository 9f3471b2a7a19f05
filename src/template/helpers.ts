import type { HelperDelegate } from 'handlebars';

/** Handlebars passes its options object as the last argument; helpers see only the values. */
function values(args: unknown[]): unknown[] {
  return args.slice(0, -1);
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

/** The helpers SPEC promises: eq, ne, and, or, not, default, join, json. */
export const templateHelpers: Record<string, HelperDelegate> = {
  eq: (...args: unknown[]) => {
    const [a, b] = values(args);
    return a === b;
  },
  ne: (...args: unknown[]) => {
    const [a, b] = values(args);
    return a !== b;
  },
  and: (...args: unknown[]) => values(args).every(truthy),
  or: (...args: unknown[]) => values(args).some(truthy),
  not: (...args: unknown[]) => !truthy(values(args)[0]),
  default: (...args: unknown[]) => {
    const [value, fallback] = values(args);
    return value === undefined || value === null || value === '' ? fallback : value;
  },
  join: (...args: unknown[]) => {
    const [list, separator] = values(args);
    if (!Array.isArray(list)) throw new Error('join expects a list');
    return list.join(typeof separator === 'string' ? separator : ',');
  },
  json: (...args: unknown[]) => JSON.stringify(values(args)[0]),
  /** A path as one file name: `/var/lib/nova` -> `var-lib-nova` (how backup-files names archives). */
  slug: (...args: unknown[]) => String(values(args)[0] ?? '').replace(/^\/+|\/+$/g, '').replace(/\/+/g, '-'),
};
