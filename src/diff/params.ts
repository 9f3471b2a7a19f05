import type { ParamSpec } from '../runbook/types.js';
import { recordChanges, stableJson } from './text.js';
import type { ParamDiff } from './types.js';

const SHAPE_FIELDS = ['pattern', 'format', 'minLength', 'maxLength', 'items shape'] as const;

function paramFields(p: ParamSpec): Record<string, string | undefined> {
  const { type: itemType, ...itemShape } = p.items ?? {};
  return {
    type: p.type,
    items: itemType,
    'items shape': p.items === undefined || Object.keys(itemShape).length === 0 ? undefined : stableJson(itemShape),
    default: p.default === undefined ? undefined : stableJson(p.default),
    required: p.required ? 'true' : undefined,
    enum: p.enum === undefined ? undefined : stableJson(p.enum),
    pattern: p.pattern,
    format: p.format,
    minLength: p.minLength?.toString(),
    maxLength: p.maxLength?.toString(),
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
 * param that became required, a changed shape (an invocation that worked may now be refused:
 * whether a new pattern accepts all that the old one did cannot be decided, so any change counts).
 */
export function breakingParamChange(d: ParamDiff): string | undefined {
  if (d.status === 'removed') return `param '${d.name}' removed`;
  const fields = new Set(d.changes.map((c) => c.field));
  if (d.status === 'changed' && (fields.has('type') || fields.has('items'))) return `param '${d.name}' changed type`;
  if (d.status === 'changed' && SHAPE_FIELDS.some((f) => fields.has(f))) return `param '${d.name}' changed shape`;
  if (d.changes.some((c) => c.field === 'required' && c.new === 'true')) return `param '${d.name}' ${d.status === 'added' ? 'added as required' : 'became required'}`;
  return undefined;
}
