import { describe, expect, it } from 'vitest';
import { readSchema } from '../../../src/diagnostics/schemas.js';
import { MODULE_KEYS, STEP_KEYS } from '../../../src/runbook/raw.js';

// The loader's rules name step keys in code; the schema is what editors and ajv read. They must agree.
describe('step keys in code and in schemas/runbook.schema.json', () => {
  const schema = readSchema('runbook') as { definitions: { step: { properties: Record<string, unknown> } } };
  const properties = Object.keys(schema.definitions.step.properties);

  it('lists the same step keys', () => {
    expect([...STEP_KEYS].sort()).toEqual([...properties].sort());
  });

  it('describes every module key as a mapping', () => {
    for (const key of MODULE_KEYS) expect(schema.definitions.step.properties[key], key).toMatchObject({ type: 'object', additionalProperties: false });
  });
});
