import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { ACTION_KEYS, actionStepKeys, MODULES, moduleNamed } from '../../../src/modules/registry.js';
import { COMMON_STEP_KEYS } from '../../../src/runbook/raw.js';
import { parseRunbook } from '../../../src/runbook/load.js';

const base = JSON.parse(readFileSync(new URL('../../../schemas/runbook.base.json', import.meta.url), 'utf8')) as { definitions: object };

describe('the module registry', () => {
  it.each(MODULES.map((m) => m.name))("compiles %s's argument schema (with the base's shared definitions)", (name) => {
    const module = moduleNamed(name)!;
    const ajv = new AjvModule.default({ allErrors: true, strict: false });
    const schemas = [module.schema, ...Object.values(module.stepKeys ?? {}).map((k) => k.schema)];
    for (const schema of schemas) expect(() => ajv.compile({ ...schema, definitions: base.definitions })).not.toThrow();
  });

  it('has one definition per YAML key, and no action key that is also a common step key', () => {
    expect(new Set(ACTION_KEYS).size).toBe(ACTION_KEYS.length);
    for (const key of ACTION_KEYS) expect(COMMON_STEP_KEYS as readonly string[], key).not.toContain(key);
    for (const key of actionStepKeys().keys()) {
      expect(ACTION_KEYS, key).not.toContain(key);
      expect(COMMON_STEP_KEYS as readonly string[], key).not.toContain(key);
    }
  });

  it('finds each definition by its key', () => {
    for (const module of MODULES) expect(moduleNamed(module.name)).toBe(module);
    expect(moduleNamed('command')).toBeUndefined();
  });
});

/** A one-step runbook whose step's action is `action` (YAML lines, indented under the step). */
const runbook = (action: string): string => `apiVersion: runbook/v1\nname: mini\nversion: 1.0.0\nsteps:\n  - id: a\n${action}`;

/** An argument each module's schema refuses, and the text the error must point at (on line 6). */
const BAD_ARGS: Record<string, { yaml: string; at: string }> = {
  run: { yaml: '    run: 5\n', at: '5' },
  probe: { yaml: '    probe: ""\n', at: '""' },
  service: { yaml: '    service: { name: x, state: started, colour: red }\n', at: 'colour' },
  file: { yaml: '    file: { path: /x, state: gone }\n', at: 'gone' },
  copy: { yaml: '    copy: { dest: /x, content: a, mode: 12 }\n', at: '12' },
  template: { yaml: '    template: { src: t.j2 }\n', at: 'template' },
  archive: { yaml: '    archive: { path: /x, dest: /y.tgz, format: zip }\n', at: 'zip' },
  extract: { yaml: '    extract: { src: /x.tgz, dest: /y, force: true }\n', at: 'force' },
  transfer: { yaml: '    transfer: { src: /x, dest: /y }\n', at: 'transfer' },
  wait_for: { yaml: '    wait_for: { port: http }\n', at: 'http' },
  assert: { yaml: '    assert: { that: [1] }\n', at: '1]' },
  catalog: { yaml: '    catalog: { state: kept, storage: s, root: /r, kind: db }\n', at: 'kept' },
  retention: { yaml: '    retention: { root: /r, keep_last: -1 }\n', at: '-1' },
};

describe("runbook validate on a module's bad arguments", () => {
  it('covers every module', () => {
    expect(Object.keys(BAD_ARGS).sort()).toEqual([...ACTION_KEYS].sort());
  });

  it.each(Object.entries(BAD_ARGS))('%s: an error at file:line:col of the bad value', (_name, { yaml, at }) => {
    const result = parseRunbook('/rb/mini.yaml', runbook(yaml));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const pointed = result.error.map((d) => `${d.file}:${d.line}: ${yaml.slice((d.column ?? 0) - 1).trimEnd()}`);
    expect(pointed.some((p) => p.startsWith(`/rb/mini.yaml:6: ${at}`)), pointed.join('\n')).toBe(true);
  });
});
