import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectDiagnosticsAt, fixturesWithExpectations } from '../../support/expect-comments.js';

// Each broken runbook says, in `# expect: LINE:COL message fragment` comments (the first line,
// and more anywhere after the YAML when there are several), every error `runbook validate`
// must report: all of them, at exactly those positions, and nothing else.
const dir = fileURLToPath(new URL('../../fixtures/runbooks/broken/', import.meta.url));
const cases = fixturesWithExpectations(dir);

describe('broken runbooks are reported at file:line:col', () => {
  it.each(cases)('$file', async ({ file, expected }) => {
    const path = join(dir, file);
    await expectDiagnosticsAt(path, dir, expected);
  });
});
