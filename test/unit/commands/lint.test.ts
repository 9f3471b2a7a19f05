import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lint } from '../../../src/commands/lint.js';
import { fakeIO } from './fake-io.js';

const corpus = fileURLToPath(new URL('../../fixtures/lint/', import.meta.url));

describe('runbook lint exit codes', () => {
  it('exits 0 with warnings only, and prints them', async () => {
    const io = fakeIO(corpus);
    expect(await lint(['all-hosts.yaml'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/all-hosts\.yaml:8:5: warning: .*\[all-hosts\]/);
  });

  it('exits 1 on an error that is not waived', async () => {
    expect(await lint(['run-without-check.yaml', 'clean.yaml'], fakeIO(corpus))).toBe(1);
  });

  it('shows a waived finding with its reason', async () => {
    const io = fakeIO(corpus);
    await lint(['waivers.yaml'], io);
    expect(io.stdout.join('\n')).toContain('waived: step \'import\' runs a command without check, creates or removes [run-without-check]: a one-shot import');
  });

  it('exits 2 on an invalid runbook, with its validation errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-'));
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: runbook/v1\nname: bad\nversion: 1\nsteps: []\n');
    const io = fakeIO(dir);
    expect(await lint(['bad.yaml'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/bad\.yaml:3:10: error: version 1 must be a quoted semver/);
  });

  it('lints runbooks/ when given no file, and exits 2 when there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-'));
    expect(await lint([], fakeIO(dir))).toBe(2);
    mkdirSync(join(dir, 'runbooks'));
    writeFileSync(join(dir, 'runbooks', 'ok.yaml'), 'apiVersion: runbook/v1\nname: ok\nversion: 1.0.0\ndescription: d\nhosts: controller\nsteps:\n  - id: a\n    service: { name: x, state: started }\n');
    const io = fakeIO(dir);
    expect(await lint([], io)).toBe(0);
    expect(io.stdout).toEqual(['1 runbook linted: 0 errors, 0 warnings, 0 waived']);
  });
});
