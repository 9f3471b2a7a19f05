import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellJoin, shellQuote } from '../../../src/command/quote.js';

/** What `sh` makes of the quoted word: printed back one argument per line. */
function roundTrip(value: string): string {
  return execFileSync('sh', ['-c', `printf '%s' ${shellQuote(value)}`], { encoding: 'utf8' });
}

describe('shellQuote', () => {
  it('leaves safe words readable', () => {
    expect(shellQuote('/var/lib/nova')).toBe('/var/lib/nova');
    expect(shellQuote('a=b:c@d%e+f-g_h.i')).toBe('a=b:c@d%e+f-g_h.i');
  });

  it('quotes the empty string as two quotes', () => {
    expect(shellQuote('')).toBe("''");
  });

  it('quotes anything else in single quotes, escaping single quotes', () => {
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('x; touch /tmp/pwned')).toBe("'x; touch /tmp/pwned'");
  });

  it.each(['x; touch /tmp/pwned', "'", "a'b\"c", '$(id)', '`id`', '$HOME', 'new\nline', '*', '~', '\\', '-n', 'é ü'])(
    'round-trips %j through sh as one word',
    (value) => {
      expect(roundTrip(value)).toBe(value);
    },
  );

  it('joins an argv', () => {
    expect(shellJoin(['echo', 'a b', ''])).toBe("echo 'a b' ''");
  });
});
