import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../../src/inventory/yaml-source.js';
import { UnsafeText, VaultCiphertext } from '../../../src/inventory/yaml11.js';

const valueOf = (text: string) => {
  const source = parseYamlSource('x.yml', `v: ${text}\n`);
  expect(source.errors).toEqual([]);
  return (source.value(source.root) as { v: unknown }).v;
};

describe('YAML scalars as PyYAML (Ansible) reads them', () => {
  it.each([
    ['yes', true],
    ['Off', false],
    ['ON', true],
    ['y', 'y'],
    ['n', 'n'],
    ['0644', 420],
    ['09', '09'],
    ['1:30', 90],
    ['-1:30', -90],
    ['1:30.5', 90.5],
    ['1e3', '1e3'],
    ['1.0e+3', 1000],
    ['.5', 0.5],
    ['1_000', 1000],
    ['0x1F', 31],
    ['0b101', 5],
    ['~', null],
    ['2024-01-31', '2024-01-31'],
    ['.inf', Infinity],
  ])('%s', (text, value) => {
    expect(valueOf(text)).toEqual(value);
  });

  it('keeps !vault and !unsafe values for the loader', () => {
    expect(valueOf('!unsafe "{{ x }}"')).toEqual(new UnsafeText('{{ x }}'));
    expect(valueOf('!vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162')).toEqual(new VaultCiphertext('$ANSIBLE_VAULT;1.1;AES256\n6162\n'));
  });

  it('merges << keys', () => {
    const source = parseYamlSource('x.yml', 'a: &base {k: 1, j: 1}\nb: {<<: *base, j: 2}\n');
    expect((source.value(source.root) as { b: unknown }).b).toEqual({ k: 1, j: 2 });
  });
});
