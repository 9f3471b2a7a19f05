import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../../src/lint/format.js';
import { lintRunbook } from '../../../src/lint/run.js';
import { loadRunbook } from '../../../src/runbook/load.js';
import { orThrow } from '../../support/results.js';

// Each file of the corpus lists, in `# expect: LINE:COL [waived] RULE-ID message fragment`
// header lines, every finding lint must report: all of them, there, and nothing else.
// More expect lines may follow the YAML at the end. `# expect: nothing` marks a clean runbook.
const dir = fileURLToPath(new URL('../../fixtures/lint/', import.meta.url));
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    if (!text.startsWith('# expect: ')) throw new Error(`${file}: first line must be '# expect: LINE:COL RULE-ID fragment' or '# expect: nothing'`);
    const expected = [...text.matchAll(/^# expect: (\d+):(\d+) (waived )?([a-z-]+)(?: (.+))?$/gm)].map((m) => ({
      line: Number(m[1]),
      column: Number(m[2]),
      waived: m[3] !== undefined,
      rule: m[4]!,
      fragment: m[5] ?? '',
    }));
    return { file, expected };
  });

describe('lint corpus: every expected finding at file:line:col, and no other', () => {
  it.each(cases)('$file', ({ file, expected }) => {
    const report = lintRunbook(orThrow(loadRunbook(join(dir, file))));
    const shown = report.findings.map(formatFinding).join('\n');
    for (const e of expected) {
      const hit = report.findings.find((f) => f.line === e.line && f.column === e.column && f.rule === e.rule && (f.waived !== undefined) === e.waived);
      expect(hit, `${e.line}:${e.column} ${e.rule}\nnot in:\n${shown}`).toBeDefined();
      expect(formatFinding(hit!)).toContain(e.fragment);
    }
    expect(report.findings, shown).toHaveLength(expected.length);
  });
});
