import { type Result, fail, ok } from '../diagnostics/result.js';

/**
 * Python's `shlex.split(line, comments=True)` (POSIX mode), which Ansible's INI reader uses for
 * host lines: whitespace separates words, quotes group, a backslash escapes, `#` starts a comment
 * (even inside a word). Returns the words, or an error in shlex's words.
 */
export function shlexSplit(line: string): Result<string[], string> {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (quote === '"' && c === '\\' && i + 1 < line.length && '"\\'.includes(line[i + 1] as string)) word += line[++i];
      else if (quote === '"' && c === '\\' && i + 1 >= line.length) return fail('No escaped character');
      else word += c;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return fail('No escaped character');
      word += line[++i];
      inWord = true;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '#') {
      break;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return fail('No closing quotation');
  if (inWord) words.push(word);
  return ok(words);
}
