import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { schemaValidator } from '../../../src/diagnostics/schemas.js';
import { parseYamlWithSchema } from '../../../src/diagnostics/yaml-schema.js';

const fixture = (name: string): { file: string; text: string } => {
  const file = fileURLToPath(new URL(`../../fixtures/inventories/${name}`, import.meta.url));
  return { file, text: readFileSync(file, 'utf8') };
};
const shown = (result: ReturnType<typeof parseYamlWithSchema>): string[] =>
  result.ok ? [] : result.error.map((d) => `${d.line}:${d.column} ${d.message}`);

describe('parseYamlWithSchema with schemas/inventory.schema.json', () => {
  it.each(['inv-openstack.yaml', 'inv-ansible-style.yaml'])('accepts %s', (name) => {
    const { file, text } = fixture(name);
    const result = parseYamlWithSchema(file, text, 'inventory');
    expect(shown(result)).toEqual([]);
    expect(result.ok && result.value.yaml.positionOf('all.children').line).toBeGreaterThan(1);
  });

  it('reports bad host vars at their values and an unknown group key at the key', () => {
    const { file, text } = fixture('inv-broken.yaml');
    expect(shown(parseYamlWithSchema(file, text, 'inventory'))).toEqual([
      "4:21 'all.hosts.h1.ansible_port' must be an integer",
      "6:27 'all.hosts.h2.ansible_connection' must be one of \"ssh\", \"local\"",
      "9:7 unknown key 'host' in all.children.db (did you mean 'hosts'?)",
    ]);
  });

  it('stops at a YAML syntax error, with its position', () => {
    const { file, text } = fixture('inv-syntax.yaml');
    const result = parseYamlWithSchema(file, text, 'inventory');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error[0]).toMatchObject({ file, line: expect.any(Number), message: expect.stringMatching(/^YAML: /) });
  });
});

describe('schemas are compiled once, on first use', () => {
  it('returns the same validator for the same schema', () => {
    expect(schemaValidator('inventory')).toBe(schemaValidator('inventory'));
    const schema = { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } };
    expect(schemaValidator(schema)).toBe(schemaValidator(schema));
  });

  it('takes a schema object too, with the same positioned messages', () => {
    const schema = { type: 'object', additionalProperties: false, properties: { name: { type: 'string' } } };
    const result = parseYamlWithSchema('/x.yaml', 'name: x\nnmae: y\n', schema);
    expect(shown(result)).toEqual(["2:1 unknown key 'nmae' at the top level (did you mean 'name'?)"]);
  });
});
