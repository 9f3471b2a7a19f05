import { dirname, join } from 'node:path';
import { type Result, fail } from '../diagnostics/result.js';
import { parseYamlDocument } from '../diagnostics/yaml-document.js';
import { parseRunbook } from '../runbook/load.js';
import type { Runbook } from '../runbook/types.js';

/** A version of a runbook for the diff, or why it cannot be read. */
export type DiffSide = Result<Runbook>;

/** The `name` a runbook text declares, when it reads as one (the parse that refuses hostile YAML). */
function declaredName(file: string, text: string): string | undefined {
  const doc = parseYamlDocument(file, text, { merge: true }).value;
  const name = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).name : undefined;
  return typeof name === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(name) ? name : undefined;
}

/**
 * Parses one side of a diff. The old side is often a copy (`old.yaml`, `git show` output) whose
 * file name is not the runbook's: it is parsed as `<its dir>/<name>.yaml` so that the
 * name-equals-file rule holds, and its diagnostics are reported under `label`.
 */
export function loadDiffSide(file: string, text: string, label: string = file): DiffSide {
  const name = declaredName(file, text);
  const path = name === undefined ? file : join(dirname(file), `${name}.yaml`);
  const parsed = parseRunbook(path, text);
  if (parsed.ok) return parsed;
  return fail(parsed.error.map((d) => ({ ...d, file: label })));
}
