import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateFile } from '../../../src/commands/validate.js';
import { formatDiagnostic } from '../../../src/diagnostics/diagnostic.js';

// Each broken runbook says on its first line where its error is and what it says:
// `# expect: LINE:COL message fragment`.
const dir = fileURLToPath(new URL('../../fixtures/runbooks/broken/', import.meta.url));
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((file) => {
    const expect = /^# expect: (\d+):(\d+) (.+)$/.exec(readFileSync(join(dir, file), 'utf8').split('\n')[0] ?? '');
    if (!expect) throw new Error(`${file}: first line must be '# expect: LINE:COL message'`);
    return { file, line: Number(expect[1]), column: Number(expect[2]), message: expect[3]! };
  });

describe('broken runbooks are reported at file:line:col', () => {
  it.each(cases)('$file', async ({ file, line, column, message }) => {
    const path = join(dir, file);
    const diagnostics = await validateFile(path, dir);
    const shown = diagnostics.map(formatDiagnostic);
    expect(shown.some((d) => d.startsWith(`${path}:${line}:${column}: error: `) && d.includes(message)), shown.join('\n')).toBe(true);
  });
});
