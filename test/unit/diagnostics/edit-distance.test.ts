import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../../src/diagnostics/edit-distance.js';

describe('edit distance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('comand', 'command')).toBe(1);
    expect(editDistance('stat', 'state')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
    expect(editDistance('nmae', 'name')).toBe(1);
  });

  it('suggests only likely typos, the nearest first', () => {
    expect(closest('servce', ['serial', 'service', 'file'])).toBe('service');
    expect(closest('Hosts', ['hosts', 'host'])).toBe('hosts');
    expect(closest('x', ['run', 'file'])).toBeUndefined();
  });
});
