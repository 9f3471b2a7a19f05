import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffRunbooks } from '../../../src/diff/diff.js';
import { loadDiffSide } from '../../../src/diff/load.js';
import { diffMarkdown } from '../../../src/diff/markdown.js';
import type { Runbook } from '../../../src/runbook/types.js';

// Each case is a directory with old.yaml and new.yaml, the markdown a reviewer must see
// (expected.md) and the flags and version verdict (expected.json).
const root = fileURLToPath(new URL('../../fixtures/diff/', import.meta.url));
const cases = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function load(dir: string, file: string): { runbook: Runbook; text: string } {
  const text = readFileSync(join(dir, file), 'utf8');
  const side = loadDiffSide(join(dir, file), text);
  if (!side.ok) throw new Error(side.error.map((d) => d.message).join('\n'));
  return { runbook: side.value, text };
}

describe('diff fixture pairs', () => {
  it.each(cases)('%s', (name) => {
    const dir = join(root, name);
    const old = load(dir, 'old.yaml');
    const next = load(dir, 'new.yaml');
    const diff = diffRunbooks(old.runbook, next.runbook, old.text !== next.text);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as unknown;
    expect({ flags: diff.flags.map((f) => f.kind), required: diff.version?.required, made: diff.version?.made, ok: diff.version?.ok }).toEqual(expected);
    // The CLI prints the markdown with a final newline.
    expect(`${diffMarkdown(diff)}\n`).toBe(readFileSync(join(dir, 'expected.md'), 'utf8'));
  });
});
