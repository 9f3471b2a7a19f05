import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validate } from '../../../src/commands/validate.js';
import { expectDiagnosticsAt, fixturesWithExpectations } from '../../support/expect-comments.js';
import { runCli } from '../../support/cli.js';
import { fakeIO } from '../commands/fake-io.js';

// Inputs that once made `runbook validate` throw (an alias without its anchor, a merge of a
// scalar, an alias cycle) or point past the end of a line, kept from the fuzz corpus
// (validate-fuzz.test.ts): each must be exactly the diagnostics its `# expect:` comments name,
// and exit 2.
const dir = fileURLToPath(new URL('../../fixtures/malformed/', import.meta.url));

describe('malformed YAML is a diagnostic at file:line:col, never a throw', () => {
  it.each(fixturesWithExpectations(dir))('$file', async ({ file, expected }) => {
    const path = join(dir, file);
    await expectDiagnosticsAt(path, dir, expected);
    expect(await validate([path], fakeIO(dir))).toBe(2);
  });
});

describe('the built CLI on malformed YAML', () => {
  it('prints diagnostics and exits 2, with no JavaScript stack', async () => {
    const { code, stderr } = await runCli(['validate', dir], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain('runbook-unknown-alias.yaml:5:14: error: YAML: unknown alias *nope');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain('internal error');
  });
});

describe('files that are not YAML text', () => {
  it('an empty file, a folder named .yaml and an empty folder: exit 2, each named', async () => {
    const root = mkdtempSync(join(tmpdir(), 'validate-odd-'));
    writeFileSync(join(root, 'empty.yaml'), '');
    mkdirSync(join(root, 'folder.yaml'));
    mkdirSync(join(root, 'nothing'));
    const io = fakeIO(root);
    expect(await validate(['.'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain(`${join(root, 'empty.yaml')}:1:1: error: a runbook is a YAML mapping`);
    expect(io.stderr.join('\n')).toContain(`${join(root, 'folder.yaml')}: error: cannot read: EISDIR`);
    const none = fakeIO(root);
    expect(await validate(['nothing'], none)).toBe(2);
    expect(none.stderr).toEqual(['error: no YAML files in nothing']);
  });
});
