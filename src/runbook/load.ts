import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Diagnostic, ValidationError } from '../diagnostics/diagnostic.js';
import { parsePositionedYaml, type PositionedYaml } from '../diagnostics/yaml.js';
import { sortByPosition } from '../diagnostics/yaml-schema.js';
import { mergeFindings } from './findings.js';
import { normalizeRunbook } from './normalize.js';
import { isRecord, type RawRunbook } from './raw.js';
import { schemaDiagnostics } from './schema.js';
import { semanticFindings } from './semantics.js';
import type { Runbook, RunbookSource } from './types.js';

/** A runbook, or every problem found in it. */
export type ParseResult = { ok: true; runbook: Runbook } | { ok: false; diagnostics: Diagnostic[] };

/**
 * YAML text -> validated Runbook, or every problem at once: YAML syntax, schema (unknown keys
 * included) and the rules a schema cannot express (name = file name, semver, unique ids, one
 * action, loop paths, durations). Checks that need an inventory (host patterns) or the
 * template context are made where the plan is built, with `runbook.source.positionOf`.
 */
export function parseRunbook(file: string, text: string, parsed?: PositionedYaml): ParseResult {
  const path = resolve(file);
  const yaml = parsed ?? parsePositionedYaml(path, text);
  if (yaml.errors.length > 0) return { ok: false, diagnostics: yaml.errors };
  if (!isRecord(yaml.value)) {
    const message = 'a runbook is a YAML mapping (apiVersion, name, version, steps, ...)';
    return { ok: false, diagnostics: [{ severity: 'error', ...yaml.positionOf([]), message }] };
  }
  const diagnostics = mergeFindings(schemaDiagnostics(yaml), semanticFindings(yaml));
  if (diagnostics.length > 0) return { ok: false, diagnostics: sortByPosition(diagnostics) };
  return { ok: true, runbook: normalizeRunbook(yaml.value as unknown as RawRunbook, sourceOf(yaml, text)) };
}

function sourceOf(yaml: PositionedYaml, text: string): RunbookSource {
  return {
    file: yaml.file,
    text,
    sha256: createHash('sha256').update(text).digest('hex'),
    positionOf: (p) => yaml.positionOf(p),
    valuePositionOf: (p) => yaml.valuePositionOf(p),
  };
}

/**
 * Reads (unless `text` is given) and parses a runbook file; throws {@link ValidationError} with
 * every problem. `parsed` is `text` already parsed by {@link parsePositionedYaml} with the
 * resolved path (`runbook exec` parses it early to know its hosts).
 */
export function loadRunbook(file: string, text?: string, parsed?: PositionedYaml): Runbook {
  const result = parseRunbook(file, text ?? readRunbookText(file), text === undefined ? undefined : parsed);
  if (!result.ok) throw new ValidationError(result.diagnostics);
  return result.runbook;
}

function readRunbookText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ValidationError([{ severity: 'error', file: resolve(file), message: `cannot read runbook: ${reason}` }]);
  }
}
