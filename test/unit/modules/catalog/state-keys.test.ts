import { describe, expect, it } from 'vitest';
import { schemaValidator } from '../../../../src/diagnostics/schemas.js';
import { parseRunbook } from '../../../../src/runbook/load.js';

// catalog is five modules behind one key, selected by `state`; each state's keys are in the
// schema (for editors) and in the loader's rules (for `runbook validate`), both from the same
// per-state lists in src/modules/catalog/*.ts.
const step = (catalog: string): string =>
  `apiVersion: runbook/v1\nname: mini\nversion: 1.0.0\nsteps:\n  - id: a\n    catalog: { storage: s, root: /r, kind: db, ${catalog} }\n`;

const asYamlValue = (catalog: string): unknown => ({
  apiVersion: 'runbook/v1',
  name: 'mini',
  version: '1.0.0',
  steps: [{ id: 'a', catalog: { storage: 's', root: '/r', kind: 'db', ...(JSON.parse(`{${catalog}}`) as object) } }],
});

/** A key each state cannot use, and one it needs, as JSON members. */
const CASES = [
  { state: 'stored', wrong: '"dest": "/x"', key: 'dest', needs: 'produce', fine: '"produce": "true", "stdin": "s", "contents": {}' },
  { state: 'found', wrong: '"force": true', key: 'force', needs: undefined, fine: '"verify": true, "must_match": true, "produce": "true"' },
  { state: 'fetched', wrong: '"produce": "true"', key: 'produce', needs: 'dest', fine: '"dest": "/x", "only": ["nova"], "verify": true' },
  { state: 'tested', wrong: '"verify": true', key: 'verify', needs: 'id', fine: '"id": "latest", "force": "{{params.retest}}"' },
  { state: 'copied', wrong: '"dest": "/x"', key: 'dest', needs: 'offsite', fine: '"offsite": { "auth_url": "http://s2:8080/auth/v1.0", "user": "a:b", "key": "{{secrets.k}}", "container": "c" }, "required": false' },
] as const;

describe('catalog states in the runbook schema (what an editor shows)', () => {
  const validate = schemaValidator('runbook');

  it.each(CASES)('$state: refuses $key', ({ state, wrong, key, fine }) => {
    expect(validate(asYamlValue(`"state": "${state}", ${fine}`)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(asYamlValue(`"state": "${state}", ${fine}, ${wrong}`))).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain(`/steps/0/catalog/${key}`);
  });

  it.each(CASES.filter((c) => c.needs !== undefined))('$state: needs $needs', ({ state, needs }) => {
    expect(validate(asYamlValue(`"state": "${state}"`))).toBe(false);
    expect(validate.errors?.some((e) => e.keyword === 'required' && e.params.missingProperty === needs)).toBe(true);
  });
});

describe('catalog states in runbook validate (what the CLI says)', () => {
  it.each(CASES)('$state: one error, at the wrong key, in the words of the rules', ({ state, wrong, key, fine }) => {
    const yaml = `"state": "${state}", ${fine}, ${wrong}`.replace(/"([a-z_]+)":/g, '$1:');
    const result = parseRunbook('/rb/mini.yaml', step(yaml));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      `6:${step(yaml).split('\n')[5]!.indexOf(`${key}:`) + 1} catalog ${key} does not go with state: ${state}`,
    ]);
  });

  it('a state that is none of them is the schema enum error, with no per-state noise', () => {
    const result = parseRunbook('/rb/mini.yaml', step('state: kept'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.map((d) => d.message)).toEqual(["'steps[0].catalog.state' must be one of \"stored\", \"found\", \"fetched\", \"tested\", \"copied\""]);
  });
});
