import { describe, expect, it } from 'vitest';
import { formatPath, parsePositionedYaml, pathSegments } from '../../../src/diagnostics/yaml.js';

describe('pathSegments and formatPath', () => {
  it.each([
    ['steps[2].service.name', ['steps', 2, 'service', 'name']],
    ['/steps/2/service/name', ['steps', 2, 'service', 'name']],
    ['params.backup', ['params', 'backup']],
    ['matrix[1][0]', ['matrix', 1, 0]],
    ['/a~1b/c~0d', ['a/b', 'c~d']],
    ['', []],
  ] as const)('%j', (path, segments) => {
    expect(pathSegments(path)).toEqual(segments);
  });

  it('writes the dotted form back', () => {
    expect(formatPath(['steps', 2, 'service', 'name'])).toBe('steps[2].service.name');
    expect(formatPath([])).toBe('');
  });
});

describe('parsePositionedYaml', () => {
  const text = ['# comment', 'a: 1', 'list:', '  - x: { y: 2 }', '  - "z"', 'empty:', ''].join('\n');
  const yaml = parsePositionedYaml('/f.yaml', text);

  it('gives the plain value', () => {
    expect(yaml.errors).toEqual([]);
    expect(yaml.value).toEqual({ a: 1, list: [{ x: { y: 2 } }, 'z'], empty: null });
  });

  it.each([
    ['a', 2, 1, 2, 4],
    ['list[0].x.y', 4, 10, 4, 13],
    ['list[1]', 5, 5, 5, 5],
    ['list[0].x', 4, 5, 4, 8],
    // Missing paths fall back to the nearest parent that exists.
    ['list[0].x.nope', 4, 5, 4, 5],
    ['list[7]', 3, 1, 3, 1],
    ['nope', 2, 1, 2, 1],
  ] as const)('%s: key at %i:%i, value at %i:%i', (path, keyLine, keyColumn, valueLine, valueColumn) => {
    expect(yaml.positionOf(path)).toEqual({ file: '/f.yaml', line: keyLine, column: keyColumn });
    expect(yaml.valuePositionOf(path)).toEqual({ file: '/f.yaml', line: valueLine, column: valueColumn });
  });

  it('reports syntax errors at their position, and a duplicate key as one', () => {
    const broken = parsePositionedYaml('/f.yaml', 'a: 1\na: 2\n');
    expect(broken.value).toBeUndefined();
    expect(broken.errors).toEqual([expect.objectContaining({ line: 2, column: 1, message: expect.stringContaining('unique') })]);
  });
});

describe('YAML as Ansible users write it', () => {
  it('resolves merge keys', () => {
    const yaml = parsePositionedYaml('/f.yaml', 'base: &base { a: 1 }\nmore:\n  <<: *base\n  b: 2\n');
    expect(yaml.value).toEqual({ base: { a: 1 }, more: { a: 1, b: 2 } });
  });
});
