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

describe('schemas/inventory.schema.json: backup_age_recipients', () => {
  it('takes age and SSH public keys, and refuses what the loader refuses', () => {
    const age = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
    expect(validate(parse(`all:\n  vars:\n    backup_age_recipients: [${age}, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPv5 me@x"]\n`))).toBe(true);
    expect(validate(parse(`all:\n  vars:\n    backup_age_recipients: ${age}\n`))).toBe(false);
    expect(validate(parse('all:\n  vars:\n    backup_age_recipients: [age1nope]\n'))).toBe(false);
  });
});
