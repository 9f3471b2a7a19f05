import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PGID_MARKER, killGroupCommand, onHost, sessionCommand, wrapCommand } from '../../../src/connection/wrap.js';
import type { ExecOptions } from '../../../src/connection/connection.js';

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

describe('onHost', () => {
  it('makes every command of an ansible_become host become, and leaves other hosts to the step', () => {
    expect(onHost<ExecOptions>({ timeoutMs: 5, cwd: '/' }, { become: true })).toEqual({ timeoutMs: 5, cwd: '/', become: true });
    expect(onHost({ become: false }, { become: true })).toEqual({ become: true });
    expect(onHost({ become: true }, { become: false })).toEqual({ become: true });
    expect(onHost({}, { become: false })).toEqual({});
  });
});

describe('killGroupCommand', () => {
  it.each(['dash', 'bash'])('kills a whole process group under %s and always exits 0', (shell) => {
    const script = [
      // The group leader writes its own pid (= pgid); pgrep could match this very script.
      `F=$(mktemp); setsid sh -c 'echo $$ > "$0"; sleep 30 & sleep 31' "$F" >/dev/null 2>&1 &`,
      'while [ ! -s "$F" ]; do sleep 0.05; done; G=$(cat "$F"); rm -f "$F"',
      `${shell} -c "$(printf '%s' "$1" | sed "s/PGID/$G/g")"`,
      'echo rc=$?',
      // Killed members may stay zombies where init does not reap them: count the living only.
      `ps -e -o pgid=,stat= | awk -v g="$G" '$1 == g && $2 !~ /^Z/' | grep -q . && echo alive || echo gone`,
    ].join('\n');
    const template = killGroupCommand(999999).replace(/999999/g, 'PGID');
    expect(execFileSync(shell, ['-c', script, shell, template], { encoding: 'utf8' })).toBe('rc=0\ngone\n');
  });

  it('exits 0 when the group is already gone', () => {
    expect(sh(`(${killGroupCommand(999999)}); echo rc=$?`)).toBe('rc=0\n');
  });
});

describe('sessionCommand', () => {
  /** The pid in the marker line, the shell's own pid, and the payload's output. */
  const run = (argv: string[], payload: string): { pid: number; shell: number; out: string } => {
    const child = spawnSync(argv[0]!, [...argv.slice(1), 'sh', '-c', sessionCommand(payload)], { encoding: 'utf8' });
    const [marker = '', ...rest] = child.stdout.split('\n');
    return { pid: Number(marker.replace(`${PGID_MARKER} `, '')), shell: child.pid, out: rest.join('\n') };
  };

  it('lets a shell that already leads its session lead the group itself (sshd: no setsid fork)', () => {
    // setsid(1) run by a non-leader execs in place, as sshd's session shell is a leader.
    const { pid, shell, out } = run(['setsid'], 'echo "$$ $(ps -o pgid= -p $$)"');
    const [payloadPid, pgid] = out.trim().split(/\s+/).map(Number);
    expect(pid).toBe(shell);
    expect(payloadPid).toBe(pid);
    expect(pgid).toBe(pid);
  });

  it('makes a new group with setsid when the shell does not lead one', () => {
    // Run straight from node, the shell is in node's group; the payload must lead a new one.
    const { pid, out } = run(['env'], 'ps -o pgid= -p $$');
    expect(Number(out.trim())).toBe(pid);
  });
});
