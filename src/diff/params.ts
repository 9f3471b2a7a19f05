import type { ParamSpec } from '../runbook/types.js';
import { recordChanges, stableJson } from './text.js';
import type { ParamDiff } from './types.js';

function paramFields(p: ParamSpec): Record<string, string | undefined> {
  return {
    type: p.type,
    items: p.items === undefined ? undefined : stableJson(p.items),
    default: p.default === undefined ? undefined : stableJson(p.default),
    required: p.required ? 'true' : undefined,
    enum: p.enum === undefined ? undefined : stableJson(p.enum),
    description: p.description,
  };
}

/** Params added, removed or changed, in the new file's order, removed ones last. */
export function diffParams(old: Record<string, ParamSpec>, next: Record<string, ParamSpec>): ParamDiff[] {
  const diffs: ParamDiff[] = [];
  for (const [name, spec] of Object.entries(next)) {
    const before = old[name];
    if (before === undefined) {
      diffs.push({ name, status: 'added', changes: recordChanges({}, paramFields(spec)) });
      continue;
    }
    const changes = recordChanges(paramFields(before), paramFields(spec));
    if (changes.length > 0) diffs.push({ name, status: 'changed', changes });
  }
  for (const name of Object.keys(old)) if (next[name] === undefined) diffs.push({ name, status: 'removed', changes: [] });
  return diffs;
}

/**
 * Changes that break a caller's `--param` use: a removed param, a changed type or items, a
 * param that became required (an invocation that worked is now refused).
 */
export function breakingParamChange(d: ParamDiff): string | undefined {
  if (d.status === 'removed') return `param '${d.name}' removed`;
  const fields = new Set(d.changes.map((c) => c.field));
  if (d.status === 'changed' && (fields.has('type') || fields.has('items'))) return `param '${d.name}' changed type`;
  if (d.changes.some((c) => c.field === 'required' && c.new === 'true')) return `param '${d.name}' ${d.status === 'added' ? 'added as required' : 'became required'}`;
  return undefined;
}
