import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Result, fail, ok } from '../diagnostics/result.js';
import { splitHostPattern } from './pattern.js';

/**
 * `--limit @file` (Ansible's subset): each `@path` term is replaced by the file's lines, one
 * pattern per line. Returns the limit as a comma list, or what is wrong with a file.
 */
export function expandLimitFiles(limit: string, cwd: string): Result<string, string> {
  const terms: string[] = [];
  for (const term of splitHostPattern(limit)) {
    if (!term.startsWith('@')) {
      terms.push(term);
      continue;
    }
    const file = resolve(cwd, term.slice(1));
    let text: string;
    try {
      if (statSync(file).isDirectory()) return fail(`a limit starting with "@" must be a file, not a directory: ${file}`);
      text = readFileSync(file, 'utf8');
    } catch (error) {
      return fail(`cannot read the limit file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    terms.push(...text.split('\n').map((line) => line.trim()).filter((line) => line !== ''));
  }
  return ok(terms.join(','));
}
