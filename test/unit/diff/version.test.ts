import { describe, expect, it } from 'vitest';
import { judgeVersion, verdictProblem } from '../../../src/diff/version.js';

describe('judgeVersion', () => {
  it.each([
    ['1.2.0', '1.2.1', 'patch', true],
    ['1.2.0', '1.3.0', 'patch', true],
    ['1.2.0', '2.0.0', 'patch', true],
    ['1.2.0', '1.3.0', 'minor', true],
    ['1.2.0', '2.0.0', 'minor', true],
    ['1.2.0', '1.3.0-rc.1', 'minor', true],
    ['1.2.0', '1.2.1', 'minor', false],
    ['1.2.0', '1.2.0', 'minor', false],
    ['1.2.0', '1.2.0', 'none', true],
    ['1.2.0', '1.1.0', 'patch', false],
    ['1.2.0', '1.2.2', 'patch', false],
    ['1.2.0', '1.3.1', 'patch', false],
    ['1.3.0-rc.1', '1.3.0', 'patch', true],
  ] as const)('%s -> %s with %s needed: ok=%s', (old, next, required, ok) => {
    expect(judgeVersion(old, next, required, ['x']).ok).toBe(ok);
  });

  it('says what is wrong and what would be right', () => {
    expect(verdictProblem(judgeVersion('1.2.0', '1.2.0', 'minor', ["step 'a' removed"]))).toBe("version 1.2.0 not bumped; this change needs a minor bump (1.3.0): step 'a' removed");
    expect(verdictProblem(judgeVersion('1.2.0', '1.2.1', 'minor', ['hosts widened']))).toContain('is a patch bump; this change needs a minor bump (1.3.0)');
    expect(verdictProblem(judgeVersion('1.2.0', '1.1.0', 'patch', ['x']))).toContain('goes backwards');
  });
});
