import { describe, expect, it } from 'vitest';
import { RULES, WAIVER_RULES } from '../../../src/lint/registry.js';

describe('lint rule registry', () => {
  const ids = [...RULES.map((r) => r.id), ...Object.values(WAIVER_RULES).map((r) => r.id)];

  it('has unique kebab-case ids (waivers in runbooks name them)', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it('gives every rule a one-line reason', () => {
    for (const rule of RULES) expect(rule.reason, rule.id).toMatch(/^[^\n]{10,140}$/);
  });
});
