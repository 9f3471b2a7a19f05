import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSecrets } from '../../../src/secrets/read.js';
import { MASK, Redactor } from '../../../src/secrets/redactor.js';

describe('Redactor', () => {
  it('masks every occurrence, the longer secret first', () => {
    const r = new Redactor(['abc', 'abcdef']);
    expect(r.text('x abcdef y abc')).toBe(`x ${MASK} y ${MASK}`);
  });

  it('masks inside nested values', () => {
    const r = new Redactor(['pw123']);
    expect(r.value({ a: ['--password=pw123'], b: 1 })).toEqual({ a: [`--password=${MASK}`], b: 1 });
  });
});

describe('readSecrets', () => {
  it('reads env and files (relative to the runbook), dropping one trailing newline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'secrets-'));
    await writeFile(join(dir, 'pw'), 'from-file\n');
    const result = await readSecrets({ a: { env: 'A_PW' }, b: { file: 'pw' } }, dir, { A_PW: 'from-env' });
    expect(result).toEqual({ ok: true, value: { a: 'from-env', b: 'from-file' } });
  });

  it('names the missing source, never a value', async () => {
    const result = await readSecrets({ a: { env: 'NOPE' }, b: { file: '/nonexistent/pw' } }, '/', {});
    expect(result).toEqual({ ok: false, error: ["secret 'a': environment variable NOPE is not set", 'secret \'b\': cannot read /nonexistent/pw: ENOENT'] });
  });

  it('optional: an unset variable or a missing file is the empty string (the off-site key of an inventory without one); set, it is read as any other', async () => {
    const missing = await readSecrets({ a: { env: 'NOPE', optional: true }, b: { file: '/nonexistent/pw', optional: true } }, '/', {});
    expect(missing).toEqual({ ok: true, value: { a: '', b: '' } });
    expect(await readSecrets({ a: { env: 'K', optional: true } }, '/', { K: 'key' })).toEqual({ ok: true, value: { a: 'key' } });
  });
});
