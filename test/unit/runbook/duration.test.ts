import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/runbook/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['90d', 7_776_000_000],
    ['1.5s', 1500],
    ['45', 45_000],
    [90, 90_000],
    [0.25, 250],
  ] as const)('%s is %i ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['10 minutes', 'soon', '', '-5s', '1w'])('refuses %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('refuses negative and infinite numbers', () => {
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});
