import { describe, expect, it } from 'vitest';
import { hostsWidened } from '../../../src/diff/hosts.js';

describe('hostsWidened', () => {
  it.each([
    ['controller', 'all', true],
    ['controller', '*', true],
    ['controller', 'controller,compute', true],
    ['controller', 'compute', true],
    ['all,!cmp1', 'all', true],
    ['controller,&site-a', 'controller', true],
    ['controller,compute', 'controller', false],
    ['all', 'controller', false],
    ['controller', 'controller', false],
    ['all', '*', false],
    ['controller', 'controller,!ctl2', false],
  ] as const)('%s -> %s: %s', (old, next, widened) => {
    expect(hostsWidened(old, next)).toBe(widened);
  });
});
