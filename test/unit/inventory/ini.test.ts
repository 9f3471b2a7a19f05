import { describe, expect, it } from 'vitest';
import { emptyInventory, reconcile } from '../../../src/inventory/data.js';
import { readIniInventory } from '../../../src/inventory/ini.js';
import { iniValue } from '../../../src/inventory/python-literal.js';
import { shlexSplit } from '../../../src/inventory/shlex.js';

function read(text: string) {
  const raw = emptyInventory();
  const diagnostics = readIniInventory('/inv/hosts', text, raw);
  reconcile(raw);
  return { raw, diagnostics: diagnostics.map((d) => ({ line: d.line, column: d.column, message: d.message })) };
}

describe('iniValue (Python literal_eval, else the text)', () => {
  it.each([
    ['42', 42],
    ['-7', -7],
    ['1.5', 1.5],
    ['1e3', 1000],
    ['0x1F', 31],
    ['0o17', 15],
    ['1_000', 1000],
    ['True', true],
    ['None', null],
    ["'quoted'", 'quoted'],
    ["'a' 'b'", 'ab'],
    ["[1, 'a', True]", [1, 'a', true]],
    ["{'a': 1, 'b': [2]}", { a: 1, b: [2] }],
    ['(1, 2)', [1, 2]],
    ['1, 2', [1, 2]],
    ['"tab\\there"', 'tab\there'],
    ['5 # a comment', 5],
  ])('%s', (text, value) => {
    expect(iniValue(text)).toEqual(value);
  });

  it.each(['0644', 'yes', 'true', '1.2.3', '/etc/hosts', 'a=b', '', '1j', "f'x'", 'foo # bar', '[1, 2'])('keeps %j as text', (text) => {
    expect(iniValue(text)).toBe(text);
  });
});

describe('shlexSplit (POSIX, comments)', () => {
  it('splits like Python shlex.split(comments=True)', () => {
    expect(shlexSplit(`h a="x y" b='q"' c=d#comment e=f`)).toEqual({ ok: true, value: ['h', 'a=x y', `b=q"`, 'c=d'] });
    expect(shlexSplit('h a="unterminated')).toEqual({ ok: false, error: 'No closing quotation' });
    expect(shlexSplit('h a="x\\"y" b=\\ c')).toEqual({ ok: true, value: ['h', 'a=x"y', 'b= c'] });
  });
});

describe('readIniInventory', () => {
  it('reads groups, children, vars, ports and ranges', () => {
    const { raw, diagnostics } = read(
      ['lonely', '[web]', 'web[1:2]:8080 tier=front n=3', '[web:vars]', 'proxy = p.example.com # kept', '[all:children]', 'web', '[db]', 'db1'].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(raw.groups.get('web')?.hosts).toEqual(['web1', 'web2']);
    expect(raw.hostVars.get('web2')).toEqual({ ansible_port: 8080, tier: 'front', n: 3 });
    expect(raw.groups.get('web')?.vars).toEqual({ proxy: 'p.example.com # kept' });
    expect(raw.groups.get('ungrouped')?.hosts).toEqual(['lonely']);
    expect(raw.groups.get('all')?.children).toEqual(['ungrouped', 'web', 'db']);
  });

  it('takes children declared later, and ansible_group_priority as an order, not a variable', () => {
    const { raw, diagnostics } = read(['[p:children]', 'c', '[c]', 'h1', '[c:vars]', 'ansible_group_priority=5', 'x=1'].join('\n'));
    expect(diagnostics).toEqual([]);
    expect(raw.groups.get('p')?.children).toEqual(['c']);
    expect(raw.groups.get('c')).toMatchObject({ priority: 5, vars: { x: 1 } });
  });

  it('reports every problem at file:line:col', () => {
    const { diagnostics } = read(['[web]', 'web1 notapair', '  [bad section]', '[web:oops]', '[p:children]', 'missing', '[q:vars]', 'x=1', '[web]', 'h[01:3]', 'h2 a="open'].join('\n'));
    expect(diagnostics).toEqual([
      { line: 2, column: 6, message: "expected key=value after the host name, got 'notapair'" },
      { line: 3, column: 3, message: "invalid section '[bad section]': a section is [group], [group:children] or [group:vars], with no spaces" },
      { line: 4, column: 1, message: "section [web:oops] has unknown type 'oops' (expected hosts, children or vars)" },
      { line: 10, column: 1, message: 'host range must specify equal-length begin and end formats' },
      { line: 11, column: 1, message: `cannot read host line 'h2 a="open': No closing quotation` },
      { line: 6, column: 1, message: "section [p:children] names the group 'missing', which is never declared" },
      { line: 7, column: 1, message: 'section [q:vars] is for a group that is never declared ([q] or [q:children])' },
    ]);
  });
});
