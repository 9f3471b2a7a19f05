import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Result, fail, ok } from '../diagnostics/result.js';
import { parsePositionedYaml, type PositionedYaml } from '../diagnostics/yaml.js';
import { sortByPosition } from '../diagnostics/yaml-schema.js';
import { mergeFindings } from './findings.js';
import { normalizeRunbook } from './normalize.js';
import { isRecord, type RawRunbook } from './raw.js';
import { schemaDiagnostics } from './schema.js';
import { semanticFindings } from './semantics.js';
import type { Runbook, RunbookSource } from './types.js';

/**
 * YAML text -> validated Runbook, or every problem at once: YAML syntax, schema (unknown keys
 * included) and the rules a schema cannot express (name = file name, semver, unique ids, one
 * action, loop paths, durations). Checks that need an inventory (host patterns) or the
 * template context are made where the plan is built, with `runbook.source.positionOf`.
 */
export function parseRunbook(file: string, text: string, parsed?: PositionedYaml): Result<Runbook> {
  const path = resolve(file);
  const yaml = parsed ?? parsePositionedYaml(path, text);
  if (yaml.errors.length > 0) return fail(yaml.errors);
  if (!isRecord(yaml.value)) {
    const message = 'a runbook is a YAML mapping (apiVersion, name, version, steps, ...)';
    return fail([{ severity: 'error', ...yaml.positionOf([]), message }]);
  }
  const diagnostics = mergeFindings(schemaDiagnostics(yaml), semanticFindings(yaml));
  if (diagnostics.length > 0) return fail(sortByPosition(diagnostics));
  return ok(normalizeRunbook(yaml.value as unknown as RawRunbook, sourceOf(yaml, text)));
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
 * Reads (unless `text` is given) and parses a runbook file: the runbook, or every problem
 * (an unreadable file is one). `parsed` is `text` already parsed by {@link parsePositionedYaml}
 * with the resolved path (`runbook exec` parses it early to know its hosts).
 */
export function loadRunbook(file: string, text?: string, parsed?: PositionedYaml): Result<Runbook> {
  if (text !== undefined) return parseRunbook(file, text, parsed);
  const read = readRunbookText(file);
  return read.ok ? parseRunbook(file, read.value) : read;
}

function readRunbookText(file: string): Result<string> {
  try {
    return ok(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return fail([{ severity: 'error', file: resolve(file), message: `cannot read runbook: ${reason}` }]);
  }
}
