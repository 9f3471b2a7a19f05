import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runbookSchemaText } from '../../../src/modules/schema.js';

const read = (name: string): string => readFileSync(new URL(`../../../schemas/${name}`, import.meta.url), 'utf8');

// Editors read the committed schema; `npm run build` writes it from the base and the definitions.
describe('schemas/runbook.schema.json', () => {
  it('is what the base and the module definitions make (run `npm run build` after changing a module)', () => {
    expect(read('runbook.schema.json')).toBe(runbookSchemaText(read('runbook.base.json')));
  });

  it('names every action in the step description', () => {
    const schema = JSON.parse(runbookSchemaText(read('runbook.base.json'))) as { definitions: { step: { description: string } } };
    expect(schema.definitions.step.description).toContain('`run` (with check, creates, removes, verify, rollback, irreversible, stdin)');
    expect(schema.definitions.step.description).toContain('one module key: service, file, copy');
  });
});
