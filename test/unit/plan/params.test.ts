import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../../src/plan/params.js';
import type { ParamSpec } from '../../../src/runbook/types.js';

const specs: Record<string, ParamSpec> = {
  backup: { type: 'string', default: 'latest' },
  services: { type: 'array', items: { type: 'string' }, default: ['nova-api'] },
  keep: { type: 'integer', default: 7 },
  force: { type: 'boolean', default: false },
  mode: { type: 'string', enum: ['full', 'incremental'], default: 'full' },
  target: { type: 'string', required: true },
};

describe('resolveParams', () => {
  it('fills defaults and parses typed values', () => {
    const result = resolveParams(specs, ['target=db1', 'keep=3', 'force=yes', 'services=nova-api, nova-conductor']);
    expect(result).toEqual({
      ok: true,
      params: { backup: 'latest', services: ['nova-api', 'nova-conductor'], keep: 3, force: true, mode: 'full', target: 'db1' },
    });
  });

  it('keeps a value with shell metacharacters as one string', () => {
    const result = resolveParams(specs, ['target=x; touch /tmp/pwned']);
    expect(result.ok && result.params.target).toBe('x; touch /tmp/pwned');
  });

  it('takes a JSON list', () => {
    const result = resolveParams(specs, ['target=a', 'services=["a,b","c"]']);
    expect(result.ok && result.params.services).toEqual(['a,b', 'c']);
  });

  it.each([
    [['target=a', 'nope=1'], "unknown param 'nope'"],
    [['target=a', 'keep=1.5'], 'is not an integer'],
    [['target=a', 'force=maybe'], 'is not a boolean'],
    [["target=a", "mode=partial"], "is not one of"],
    [[], "param 'target' is required"],
    [['target'], 'is not of the form key=value'],
  ])('%j is refused: %s', (assignments, message) => {
    const result = resolveParams(specs, assignments);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.message).join('\n')).toContain(message);
  });

  it('takes a resumed run’s values before defaults, and assignments over both', () => {
    const result = resolveParams(specs, ['keep=1'], { target: 'old', keep: 9 });
    expect(result.ok && [result.params.target, result.params.keep]).toEqual(['old', 1]);
  });
});
