import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateFile } from '../../../src/commands/validate.js';
import { formatDiagnostic } from '../../../src/diagnostics/print.js';
import { fixturesWithExpectations } from '../../support/expect-comments.js';

// Each broken runbook says, in `# expect: LINE:COL message fragment` comments (the first line,
// and more anywhere after the YAML when there are several), every error `runbook validate`
// must report: all of them, at exactly those positions, and nothing else.
const dir = fileURLToPath(new URL('../../fixtures/runbooks/broken/', import.meta.url));
const cases = fixturesWithExpectations(dir);

describe('broken runbooks are reported at file:line:col', () => {
  it.each(cases)('$file', async ({ file, expected }) => {
    const path = join(dir, file);
    const shown = (await validateFile(path, dir)).map(formatDiagnostic);
    const report = shown.join('\n');
    for (const { line, column, message } of expected) {
      expect(shown.some((d) => d.startsWith(`${path}:${line}:${column}: error: `) && d.includes(message)), `${line}:${column} ${message}\nnot in:\n${report}`).toBe(true);
    }
    expect(shown, 'no other diagnostics').toHaveLength(expected.length);
  });
});
