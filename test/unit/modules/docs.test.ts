import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { argumentTable, TABLE_END, tableStart, withArgumentTables } from '../../../src/modules/docs.js';
import { moduleNamed } from '../../../src/modules/registry.js';

const doc = readFileSync(new URL('../../../docs/modules.md', import.meta.url), 'utf8');

describe("docs/modules.md's argument tables", () => {
  it('are what the module definitions say (regenerate with npm run docs)', () => {
    expect(doc).toBe(withArgumentTables(doc));
  });

  it('fail loudly for a module whose section has no table markers', () => {
    expect(() => withArgumentTables(doc.replace(tableStart('wait_for'), ''))).toThrow('docs/modules.md has no argument table markers for wait_for');
  });

  it('replace only what is between the markers', () => {
    const before = `# x\n\n${tableStart('assert')}\nstale\n${TABLE_END}\n\nprose`;
    expect(withArgumentTables(before, [moduleNamed('assert')!])).toBe(`# x\n\n${tableStart('assert')}\n\n${argumentTable(moduleNamed('assert')!)}\n\n${TABLE_END}\n\nprose`);
  });

  it('say types, requirement and description from the schema', () => {
    expect(argumentTable(moduleNamed('wait_for')!)).toContain('| `timeout` | duration |  |');
    expect(argumentTable(moduleNamed('service')!)).toContain('| `state` | one of `started`, `stopped`, `restarted` | yes |');
    expect(argumentTable(moduleNamed('probe')!).split('\n')[0]).toBe('| step key | type | required | description |');
  });
});
