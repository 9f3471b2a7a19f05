import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { validateFile } from '../../src/commands/validate.js';
import { formatDiagnostic } from '../../src/diagnostics/print.js';

/** One diagnostic a fixture says `runbook validate` must report. */
export interface ExpectedDiagnostic {
  line: number;
  column: number;
  message: string;
}

/**
 * The YAML fixtures of a folder with the diagnostics each declares in `# expect: LINE:COL message
 * fragment` comments: the first line, and more anywhere after the YAML when there are several.
 */
export function fixturesWithExpectations(dir: string): Array<{ file: string; expected: ExpectedDiagnostic[] }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      if (!text.startsWith('# expect: ')) throw new Error(`${file}: first line must be '# expect: LINE:COL message'`);
      const expected = [...text.matchAll(/^# expect: (\d+):(\d+) (.+)$/gm)].map((m) => ({ line: Number(m[1]), column: Number(m[2]), message: m[3]! }));
      return { file, expected };
    });
}

/** `runbook validate` on `path` reports exactly the expected diagnostics, each at its line and column. */
export async function expectDiagnosticsAt(path: string, cwd: string, expected: readonly ExpectedDiagnostic[]): Promise<void> {
  const shown = (await validateFile(path, cwd)).map(formatDiagnostic);
  const report = shown.join('\n');
  for (const { line, column, message } of expected) {
    expect(shown.some((d) => d.startsWith(`${path}:${line}:${column}: error: `) && d.includes(message)), `${line}:${column} ${message}\nnot in:\n${report}`).toBe(true);
  }
  expect(shown, 'no other diagnostics').toHaveLength(expected.length);
}
