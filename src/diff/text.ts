/** JSON with sorted keys, so that equal values compare equal whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}


/** The changes between two records of strings (absent and undefined alike), in key order of both. */
export function recordChanges(old: Record<string, string | undefined>, next: Record<string, string | undefined>, prefix = ''): { field: string; old?: string; new?: string }[] {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])];
  return keys.flatMap((key) => {
    const a = old[key];
    const b = next[key];
    if (a === b) return [];
    return [{ field: `${prefix}${key}`, ...(a === undefined ? {} : { old: a }), ...(b === undefined ? {} : { new: b }) }];
  });
}
