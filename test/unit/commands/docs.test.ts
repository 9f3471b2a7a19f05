import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOCS_DIR, runbookDocuments } from '../../../src/commands/docs.js';
import { renderDiagnostics } from '../../../src/diagnostics/print.js';
import { showRunbook } from '../../../src/commands/show.js';
import { fakeIO } from './fake-io.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('docs/runbooks/ is up to date (regenerate with npm run docs)', async () => {
  const documents = await runbookDocuments(root);
  if (!documents.ok) throw new Error(renderDiagnostics(documents.error, { color: false }));
  const expected = documents.value;

  it('has one document per shipped runbook and no other', () => {
    const present = readdirSync(join(root, DOCS_DIR)).filter((f) => f.endsWith('.md')).map((f) => join(DOCS_DIR, f));
    expect(present.sort()).toEqual([...expected.keys()].sort());
  });

  it.each([...expected.entries()])('%s', (path, text) => {
    expect(readFileSync(join(root, path), 'utf8')).toBe(text);
  });
});

describe('runbook show --format', () => {
  it('writes the operator document as markdown', async () => {
    const io = fakeIO(root);
    expect(await showRunbook('restart-nova', io, 'md')).toBe(0);
    const doc = io.stdout.join('\n');
    for (const heading of ['# restart-nova', '## How to run', '## Params', '## Steps']) expect(doc).toContain(heading);
    expect(doc).toContain('- already done when: `test -s /etc/nova/nova.conf` exits 0');
  });

  it('refuses an unknown format with exit 2', async () => {
    const io = fakeIO(root);
    expect(await showRunbook('restart-nova', io, 'html')).toBe(2);
    expect(io.stderr).toEqual(["error: unknown format 'html' (formats: md)"]);
  });
});
