import { describe, expect, it } from 'vitest';
import { newRunId } from '../../../src/journal/journal.js';
import { compilePattern, fitsShape, paramValueProblem, PARAM_FORMATS, showValue } from '../../../src/runbook/param-shape.js';
import type { ParamFormat } from '../../../src/runbook/types.js';
import { hostileValues } from '../../support/hostile-params.js';

const ACCEPTED: Record<ParamFormat, string[]> = {
  identifier: ['nova', 'nova_api', 'nova_cell0', '_x', 'a'.repeat(64)],
  service: ['nova-api', 'openstack-nova-api.service', 'getty@tty1.service', 'mariadb', 'swift-object-replicator'],
  path: ['/etc/nova', '/var/lib/glance/images', '/etc/swift/object.ring.gz', '/etc/.hidden', '/a/b..c'],
  hostname: ['ctl1', 'cmp-2', 'stor1.example.org', 'node_3', 'a'],
  'backup-id': ['latest', '20261120-020000-ab12', newRunId()],
  duration: ['90d', '12h', '30m', '45s', '500ms', '60', '1.5h'],
};

const REFUSED: Record<ParamFormat, string[]> = {
  identifier: ['', '1nova', 'nova-api', 'nova api', 'a'.repeat(65), 'nova`', 'nova\n'],
  service: ['', '-H', '--root=/x', '.hidden', 'nova api', 'a/b', 'nova\\x2d'],
  path: ['', '/', 'etc/nova', '/etc/../root', '/etc/nova/..', '/etc/./nova', '//etc', '/etc/nova/', '/etc/no va', '/etc/nova\n', '/etc/\0x'],
  hostname: ['', '-ctl1', 'ctl1-', 'ctl 1', 'ctl1;', '.ctl1'],
  'backup-id': ['', 'Latest', 'latest ', '20261120-020000', '20261120-020000-AB12', '../20261120-020000-ab12', '20261120-020000-ab12/..'],
  duration: ['', 'd', '90 d', '-1d', '90w', '1e3'],
};

describe('param formats', () => {
  for (const format of Object.keys(PARAM_FORMATS) as ParamFormat[]) {
    it.each(ACCEPTED[format])(`${format} accepts %j`, (value) => expect(fitsShape(value, { format })).toBe(true));
    it.each(REFUSED[format])(`${format} refuses %j`, (value) => expect(fitsShape(value, { format })).toBe(false));
    it.each(hostileValues('/tmp/pwned'))(`${format} refuses the hostile %j`, (value) => expect(fitsShape(value, { format })).toBe(false));
  }

  it('backup-id takes what newRunId makes, at any time', () => {
    for (const at of ['2026-01-01T00:00:00Z', '2031-12-31T23:59:59Z']) expect(fitsShape(newRunId(new Date(at)), { format: 'backup-id' })).toBe(true);
  });
});

describe('param patterns', () => {
  it('must match the whole value, not a part of it', () => {
    expect(fitsShape('nova', { pattern: '[a-z]+' })).toBe(true);
    expect(fitsShape('nova; drop', { pattern: '[a-z]+' })).toBe(false);
    expect(fitsShape('x\nnova', { pattern: 'nova|glance' })).toBe(false);
    expect(fitsShape('glance', { pattern: 'nova|glance' })).toBe(true);
  });

  it('refuses a pattern that only compiles inside anchors', () => {
    expect(compilePattern('a)|(b').ok).toBe(false);
    expect(compilePattern('[a-z').ok).toBe(false);
    expect(compilePattern('^[a-z]+$').ok).toBe(true);
  });

  it('counts lengths in characters', () => {
    expect(fitsShape('ééé', { maxLength: 3 })).toBe(true);
    expect(fitsShape('ab', { minLength: 3 })).toBe(false);
  });
});

describe('paramValueProblem', () => {
  it('names the param, the value as given and the shape expected', () => {
    const problem = paramValueProblem("param 'databases'", { type: 'array', items: { type: 'string', format: 'identifier' } }, ['nova', 'nova; \\! touch /tmp/pwned']);
    expect(problem).toEqual({
      item: 1,
      message: "param 'databases' item 'nova; \\! touch /tmp/pwned' does not fit format identifier (letters, digits and _, not starting with a digit, at most 64)",
    });
  });

  it('checks the type of values that were not parsed from --param (a journal, a default)', () => {
    expect(paramValueProblem("param 'databases'", { type: 'array', items: { type: 'string' } }, 'nova')?.message).toBe("param 'databases' 'nova' is not of type array");
    expect(paramValueProblem("param 'keep'", { type: 'integer' }, [1])?.message).toContain('is not of type integer');
  });

  it('checks an enum of the items', () => {
    expect(paramValueProblem("param 'mode'", { type: 'array', items: { type: 'string', enum: ['a', 'b'] } }, ['a', 'c'])?.message).toBe(`param 'mode' item 'c' is not one of "a", "b"`);
  });

  it('shows a value with control characters as JSON, so none reaches a terminal raw', () => {
    expect(showValue('a\u001b[2Jb')).toBe('"a\\u001b[2Jb"');
    expect(showValue('nova; \\!')).toBe("'nova; \\!'");
  });
});
