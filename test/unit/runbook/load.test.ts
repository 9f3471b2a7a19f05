import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/diagnostics/print.js';
import { loadRunbook, parseRunbook } from '../../../src/runbook/load.js';
import type { Step } from '../../../src/runbook/types.js';
import { orThrow } from '../../support/results.js';

// Each valid runbook has a sidecar `<name>.expected.json`: runbook fields and steps, matched
// partially, except each step's action, which must be exactly what the modules receive.
const dir = fileURLToPath(new URL('../../fixtures/runbooks/valid/', import.meta.url));
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

interface Expected {
  steps: Array<Partial<Step>>;
  [field: string]: unknown;
}

describe('valid runbooks load into normalised steps', () => {
  it.each(cases)('%s', (file) => {
    const runbook = orThrow(loadRunbook(join(dir, file)));
    const { steps, ...fields } = JSON.parse(readFileSync(join(dir, file.replace(/\.yaml$/, '.expected.json')), 'utf8')) as Expected;
    expect(runbook).toMatchObject(fields);
    expect(runbook.steps.map((s) => s.id)).toEqual(steps.map((s) => s.id));
    steps.forEach((expected, index) => {
      const { action, ...rest } = expected;
      expect(runbook.steps[index]).toMatchObject(rest);
      if (action) expect(runbook.steps[index]!.action).toEqual(action);
    });
  });
});

const minimal = (steps: string): string => `apiVersion: runbook/v1\nname: mini\nversion: 1.0.0\nsteps:\n${steps}`;

describe('parseRunbook', () => {
  it('applies the defaults: hosts all, name = id, one attempt, rollback on failure', () => {
    const result = parseRunbook('/rb/mini.yaml', minimal('  - id: a\n    run: "true"\n'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.hosts).toBe('all');
    expect(result.value.steps[0]).toMatchObject({ name: 'a', hosts: 'all', runOnce: false, become: false, env: {}, retries: { attempts: 1, delayMs: 0 }, onFailure: 'rollback' });
    expect(result.value.steps[0]!.timeoutMs).toBeUndefined();
    expect(result.value.source.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports schema and semantic errors together, in reading order', () => {
    const result = parseRunbook('/rb/mini.yaml', minimal('  - id: a\n    comand: x\n    run: "true"\n  - id: a\n    service: { name: x, state: started }\n'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.map((d) => `${d.line}:${d.column} ${d.message.split(' (')[0]}`)).toEqual([
      "6:5 unknown key 'comand' in step 'a'",
      "8:9 duplicate step id 'a'",
    ]);
  });

  it('names the supported apiVersion instead of quoting the schema', () => {
    const result = parseRunbook('/rb/mini.yaml', minimal('  - id: a\n    run: "true"\n').replace('runbook/v1', 'runbook/v2'));
    expect(!result.ok && result.error.map((d) => d.message)).toEqual(["apiVersion 'runbook/v2' is not supported: this version of runbook reads runbook/v1"]);
  });

  it('says what a document that is not a mapping should be', () => {
    const result = parseRunbook('/rb/mini.yaml', '- just\n- a list\n');
    expect(!result.ok && result.error[0]).toMatchObject({ line: 1, column: 1, message: expect.stringContaining('a runbook is a YAML mapping') });
  });

  it('accepts a loop over a list var and refuses one over a registered result', () => {
    const text = 'apiVersion: runbook/v1\nname: mini\nversion: 1.0.0\nvars:\n  dirs: [/a, /b]\nsteps:\n  - id: a\n    loop: vars.dirs\n    run: ls {{item}}\n  - id: b\n    loop: a.stdout\n    run: ls\n';
    const result = parseRunbook('/rb/mini.yaml', text);
    expect(!result.ok && result.error.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      "11:11 loop 'a.stdout': a loop path must be params.<name> or vars.<name> (or write the list itself)",
    ]);
  });
});

describe('loadRunbook', () => {
  it('returns every diagnostic as its error', () => {
    const result = loadRunbook('/rb/mini.yaml', minimal('  - id: a\n  - id: b\n'));
    expect(!result.ok && result.error.map((d) => d.line)).toEqual([5, 6]);
  });

  it('reports a file it cannot read without a position', () => {
    const result = loadRunbook('/nonexistent/x.yaml');
    expect(!result.ok && result.error.map(formatDiagnostic)).toEqual(['/nonexistent/x.yaml: error: cannot read runbook: ENOENT']);
  });
});

describe('runbook.source.positionOf', () => {
  const runbook = orThrow(loadRunbook(join(dir, 'recover-nova.yaml')));
  it.each([
    ['steps[1].run', 24, 5],
    ['steps[0].service.name', 20, 16],
    ['params.backup', 9, 3],
    ['secrets.db_password.env', 14, 18],
    // Paths that do not exist fall back to the nearest existing parent.
    ['steps[0].service.enabled', 20, 5],
    ['steps[9].run', 15, 1],
  ])('%s is at %i:%i', (path, line, column) => {
    expect(runbook.source.positionOf(path)).toMatchObject({ line, column });
  });

  it('points at a value, not its key, with valuePositionOf', () => {
    expect(runbook.source.valuePositionOf('steps[1].timeout')).toMatchObject({ line: 27, column: 14 });
  });
});
