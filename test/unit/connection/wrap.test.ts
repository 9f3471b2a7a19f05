import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { wrapCommand } from '../../../src/connection/wrap.js';

const sh = (script: string): string => execFileSync('sh', ['-c', script], { encoding: 'utf8' });

describe('wrapCommand', () => {
  it('leaves a plain command alone', () => {
    expect(wrapCommand('echo hi', {}, { user: 'u' })).toBe('echo hi');
  });

  it('puts cwd and env into the command', () => {
    const cmd = wrapCommand('echo "$A|$B|$(pwd)"', { cwd: '/tmp', env: { A: 'x y', B: 'x; touch /tmp/never' } }, { user: 'u' });
    expect(sh(cmd)).toBe('x y|x; touch /tmp/never|/tmp\n');
  });

  it('wraps become in sudo -n unless the user is root', () => {
    expect(wrapCommand('id -u', { become: true }, { user: 'ops' })).toBe("sudo -n sh -c 'id -u'");
    expect(wrapCommand('id -u', { become: true }, { user: 'root' })).toBe('id -u');
  });

  it('applies cwd and env inside sudo', () => {
    expect(wrapCommand('pwd', { become: true, cwd: '/etc' }, { user: 'ops' })).toBe(`sudo -n sh -c 'cd -- /etc && pwd'`);
  });

  it('refuses environment names that would change the command', () => {
    expect(() => wrapCommand('true', { env: { 'A;rm': 'x' } }, { user: 'u' })).toThrow(/invalid environment variable name/);
  });
});
