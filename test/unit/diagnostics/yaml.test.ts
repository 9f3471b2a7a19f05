import { describe, expect, it } from 'vitest';
import { MAX_YAML_LENGTH } from '../../../src/diagnostics/yaml-document.js';
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

describe('YAML that the library accepts but nothing after it could use', () => {
  const errorsOf = (text: string): string[] => parsePositionedYaml('/f.yaml', text).errors.map((e) => `${e.line}:${e.column} ${e.message}`);

  it('nesting deep enough to exhaust the parser is refused before it is parsed, at the level too many', () => {
    const started = Date.now();
    expect(errorsOf(`a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)).toEqual(['1:103 YAML: nested deeper than 100 levels']);
    const block = Array.from({ length: 500 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    expect(errorsOf(block)).toEqual(['101:101 YAML: nested deeper than 100 levels']);
    expect(errorsOf(`${'- '.repeat(5000)}x\n`)).toEqual([expect.stringMatching(/^1:\d+ YAML: nested deeper than 100 levels$/)]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('quoted brackets do not count as nesting', () => {
    expect(parsePositionedYaml('/f.yaml', `a: "${'['.repeat(500)}"\nb: '${'{'.repeat(500)}'\n`).errors).toEqual([]);
  });

  it('a file over the size limit is refused before it is parsed', () => {
    expect(errorsOf(`a: "${'x'.repeat(MAX_YAML_LENGTH)}"\n`)).toEqual([expect.stringMatching(/^1:1 YAML: file too large/)]);
  });

  it('a byte order mark, an empty file and explicit core tags are fine', () => {
    expect(parsePositionedYaml('/f.yaml', '\uFEFFa: 1\n').value).toEqual({ a: 1 });
    expect(parsePositionedYaml('/f.yaml', '').value).toBeNull();
    expect(parsePositionedYaml('/f.yaml', 'a: !!str 1\n').value).toEqual({ a: '1' });
  });

  it('an escaped control character in a double-quoted string is YAML; a raw one is not', () => {
    expect(parsePositionedYaml('/f.yaml', 'a: "\\e[31m"\n').errors).toEqual([]);
    expect(errorsOf('a: \u001b[31m\n')).toEqual(['1:4 YAML: control character U+001B is not allowed in YAML']);
  });
});
