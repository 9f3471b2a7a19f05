import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSha256, sha256Command } from '../../../src/modules/remote.js';

const dir = mkdtempSync(join(tmpdir(), 'runbook-sha-'));
const file = join(dir, "a file with 'quotes' and -dashes");
const content = Buffer.from('some bytes\n\x00\xff');
writeFileSync(file, content);
const expected = createHash('sha256').update(content).digest('hex');

/** Runs the command with only the given programs on PATH (plus the shell's builtins). */
function withOnly(programs: string[]): string {
  const bin = mkdtempSync(join(dir, 'bin-'));
  for (const p of programs) symlinkSync(execFileSync('sh', ['-c', `command -v ${p}`], { encoding: 'utf8' }).trim(), join(bin, p));
  return execFileSync('/bin/sh', ['-c', sha256Command(file).text], { encoding: 'utf8', env: { PATH: bin } });
}

describe('sha256Command', () => {
  it('uses openssl where there is one', () => {
    expect(parseSha256(withOnly(['openssl']))).toBe(expected);
  });

  it('falls back to sha256sum where openssl is missing', () => {
    expect(parseSha256(withOnly(['sha256sum']))).toBe(expected);
  });

  it('prints no digest for a file it cannot read', () => {
    const bin = join(dir, 'none');
    expect(() => execFileSync('/bin/sh', ['-c', sha256Command(join(dir, 'missing')).text], { encoding: 'utf8', env: { PATH: bin }, stdio: 'pipe' })).toThrow();
    expect(parseSha256('')).toBeUndefined();
    expect(parseSha256('sha256sum: -: No such file\n')).toBeUndefined();
  });
});
