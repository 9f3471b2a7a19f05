import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { joinCommands, raw, secret, sh } from '../../../src/command/command.js';

/** Runs a command under sh and returns what it printed. */
const run = (text: string): string => execFileSync('sh', ['-c', text], { encoding: 'utf8' });

describe('sh', () => {
  it('quotes every inserted value as one word, whatever it holds', () => {
    const hostile = "x'; touch /tmp/pwned; echo '$(id)`id`\n";
    const command = sh`printf '%s|' ${hostile} ${'plain'}`;
    expect(run(command.text)).toBe(`${hostile}|plain|`);
  });

  it('inserts a list as one quoted word per item, and numbers as words', () => {
    expect(sh`printf '%s|' ${['a b', 'c', '']} ${7}`.text).toBe("printf '%s|' 'a b' c '' 7");
    expect(run(sh`printf '%s|' ${['a b', 'c']}`.text)).toBe('a b|c|');
  });

  it('inserts a command as it was built, its values already quoted', () => {
    const inner = sh`mkdir -p -- ${'/srv/a b'}`;
    expect(sh`${inner} && echo ${'ok'}`.text).toBe("mkdir -p -- '/srv/a b' && echo ok");
  });

  it('inserts raw code only where the source says raw', () => {
    expect(sh`true ${raw('&&')} echo ${'&&'}`.text).toBe("true && echo '&&'");
  });

  it('masks a secret in what is shown, and quotes it in what runs', () => {
    const command = sh`printf '%s' ${secret("pa ss'word")} | wc -c`;
    expect(command.shown).toBe("printf '%s' ******** | wc -c");
    expect(command.shown).not.toContain('pa ss');
    expect(run(command.text).trim()).toBe('10');
  });

  it('joins commands with an operator, keeping secrets masked', () => {
    const joined = joinCommands([sh`cd ${'/var/tmp'}`, sh`echo ${secret('s3cret')}`], '&&');
    expect(joined.text).toBe('cd /var/tmp && echo s3cret');
    expect(joined.shown).toBe('cd /var/tmp && echo ********');
  });

  it('joins a sequence as it is written: `a; b`', () => {
    expect(joinCommands([sh`rc=0`, sh`rm -f -- ${'a b'}`, sh`exit $rc`], ';').text).toBe("rc=0; rm -f -- 'a b'; exit $rc");
  });
});
