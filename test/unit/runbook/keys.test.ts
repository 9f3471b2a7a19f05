import { describe, expect, it } from 'vitest';
import { readSchema } from '../../../src/diagnostics/schemas.js';
import { MODULES, STEP_KEYS } from '../../../src/modules/registry.js';

// The loader's rules name step keys through the registry; the schema is what editors and ajv read. They must agree.
describe('step keys in the registry and in schemas/runbook.schema.json', () => {
  const schema = readSchema('runbook') as { definitions: { step: { properties: Record<string, unknown> } } };
  const properties = Object.keys(schema.definitions.step.properties);

  it('lists the same step keys', () => {
    expect([...STEP_KEYS].sort()).toEqual([...properties].sort());
  });

  it('describes every module key whose arguments are its own mapping as a mapping', () => {
    for (const { name } of MODULES.filter((m) => m.stepKeys === undefined)) {
      expect(schema.definitions.step.properties[name], name).toMatchObject({ type: 'object', additionalProperties: false });
    }
  });
});
