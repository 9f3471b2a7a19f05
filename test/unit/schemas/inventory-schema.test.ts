import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The schema is for editors; the loader checks by hand with positions. This keeps them agreeing.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const schema = JSON.parse(readFileSync(`${root}schemas/inventory.schema.json`, 'utf8')) as object;
const validate = new AjvModule.default({ allErrors: true, strict: false }).compile(schema);

describe('schemas/inventory.schema.json', () => {
  it('accepts the shipped inventory, which names it for editors', () => {
    const text = readFileSync(`${root}inventory/lab.yaml`, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/inventory.schema.json');
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['an unknown group key', 'all:\n  childs: {}\n'],
    ['a port that is not a number', 'all:\n  hosts:\n    a: { ansible_port: twenty-two }\n'],
    ['an unknown connection', 'all:\n  hosts:\n    a: { ansible_connection: winrm }\n'],
  ])('rejects %s, as the loader does', (_what, text) => {
    expect(validate(parse(text))).toBe(false);
  });
});
