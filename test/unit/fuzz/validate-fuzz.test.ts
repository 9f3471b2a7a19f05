import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/catalog/manifest.js';
import { validate, validateFile } from '../../../src/commands/validate.js';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { fakeIO } from '../commands/fake-io.js';
import { mutate } from './mutate.js';

/*
 * Malformed input never escapes as a JavaScript error: every shipped runbook, drill and inventory,
 * mutated by seeded edits, goes through `runbook validate`'s own entry point and comes out as
 * exit 0 or 2 with every error at a line and column inside the file, in bounded time.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const CASES_PER_FILE = 150;
const MAX_MS_PER_CASE = 2_000;

const shipped = ['runbooks', 'drills', 'inventory'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ dir, name: f, text: readFileSync(join(root, dir, f), 'utf8') })),
);

const work = mkdtempSync(join(tmpdir(), 'runbook-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What is wrong with a diagnostic of `text`: an error must point inside the file. */
function misplaced(d: Diagnostic, file: string, text: string): string | undefined {
  if (d.severity !== 'error') return undefined;
  if (d.file !== file) return `names ${d.file}, not the file`;
  if (d.line === undefined || d.column === undefined) return 'has no line:col';
  const lines = text.split('\n');
  const line = lines[d.line - 1];
  if (line === undefined || d.line < 1) return `line ${d.line} is outside the file (${lines.length} lines)`;
  if (d.column < 1 || d.column > line.length + 1) return `column ${d.column} is outside line ${d.line} (${line.length} characters)`;
  return undefined;
}

interface Outcome {
  problem?: string;
  ms: number;
}

/** Runs one mutated file through validate; says what went wrong, if anything. */
async function runCase(file: string, bytes: Buffer): Promise<Outcome> {
  writeFileSync(file, bytes);
  const text = readFileSync(file, 'utf8');
  const started = performance.now();
  try {
    const io = fakeIO(root);
    const code = await validate([file], io);
    const diagnostics = await validateFile(file, root);
    const ms = performance.now() - started;
    const hasError = diagnostics.some((d) => d.severity === 'error');
    if (code !== (hasError ? 2 : 0)) return { problem: `exit ${code} with ${diagnostics.length} diagnostics`, ms };
    for (const d of diagnostics) {
      const wrong = misplaced(d, file, text);
      if (wrong) return { problem: `diagnostic '${d.message}' ${wrong}`, ms };
    }
    return { ms };
  } catch (error) {
    return { problem: `threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, ms: performance.now() - started };
  }
}

describe('validate on mutated runbooks, drills and inventories', () => {
  it.each(shipped)('$dir/$name: no throw, exit 0 or 2, errors at file:line:col, bounded time', async ({ dir, name, text }) => {
    // The base name is kept: a runbook's name must equal it, so mutations reach past that rule.
    const folder = join(work, dir, name);
    mkdirSync(folder, { recursive: true });
    const failures: string[] = [];
    let slowest = 0;
    for (let seed = 1; seed <= CASES_PER_FILE; seed++) {
      const { bytes, edits } = mutate(text, seed);
      const outcome = await runCase(join(folder, name), bytes);
      slowest = Math.max(slowest, outcome.ms);
      if (outcome.ms > MAX_MS_PER_CASE) failures.push(`seed ${seed} (${edits.join(', ')}): took ${Math.round(outcome.ms)} ms`);
      if (outcome.problem) failures.push(`seed ${seed} (${edits.join(', ')}): ${outcome.problem}`);
    }
    expect(failures).toEqual([]);
    expect(slowest).toBeLessThan(MAX_MS_PER_CASE);
  });
});

describe('parseManifest on mutated manifests', () => {
  const manifest = JSON.stringify(
    {
      format: 'runbook-backup/1',
      id: '20261121-101500-ab12',
      kind: 'db',
      host: 'ctl1',
      created: '2026-11-21T10:15:00Z',
      run: { id: '20261121-101500-ab12', runbook: 'backup-db', version: '1.0.0' },
      source_digest: 'a'.repeat(64),
      contents: { databases: ['nova'] },
      depends_on: null,
      files: [{ name: 'nova.sql.gz', size: 123, sha256: 'b'.repeat(64) }],
      verified: true,
      verified_at: '2026-11-21T10:16:00Z',
    },
    null,
    2,
  );

  it('never throws: a manifest is either read or refused with a reason', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = mutate(manifest, seed).bytes.toString('utf8');
      const result = parseManifest(text);
      expect(result.ok || result.problem.length > 0).toBe(true);
    }
  });
});
