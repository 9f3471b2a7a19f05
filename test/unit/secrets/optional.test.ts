import { describe, expect, it } from 'vitest';
import { readSecrets } from '../../../src/secrets/read.js';

// An optional secret is one only some runs need: the age identity, for an encrypted backup. An
// unencrypted restore must not need it, and a step that does says so (catalog fetched).
describe('readSecrets: optional secrets', () => {
  it('are empty when the variable is not set, or set empty, or the file does not exist', async () => {
    const sources = { a: { env: 'AGE_ID', optional: true }, b: { file: '/nonexistent/identity.txt', optional: true } };
    expect(await readSecrets(sources, '/', {})).toEqual({ ok: true, value: { a: '', b: '' } });
    expect(await readSecrets(sources, '/', { AGE_ID: '' })).toEqual({ ok: true, value: { a: '', b: '' } });
  });

  it('are read like any other when set', async () => {
    expect(await readSecrets({ a: { env: 'AGE_ID', optional: true } }, '/', { AGE_ID: 'AGE-SECRET-KEY-1X' })).toEqual({ ok: true, value: { a: 'AGE-SECRET-KEY-1X' } });
  });

  it('a file that exists but cannot be read is still a problem: optional is for absent, not for broken', async () => {
    const result = await readSecrets({ b: { file: '/', optional: true } }, '/', {});
    expect(result).toEqual({ ok: false, error: ["secret 'b': cannot read /: EISDIR"] });
  });

  it('a required secret that is not set still stops the run', async () => {
    expect(await readSecrets({ db: { env: 'NOPE' }, a: { env: 'AGE_ID', optional: true } }, '/', {})).toEqual({ ok: false, error: ["secret 'db': environment variable NOPE is not set"] });
  });
});
