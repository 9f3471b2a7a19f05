import { describe, expect, it } from 'vitest';
import { type BackupManifest, parseManifest } from '../../../src/catalog/manifest.js';
import { parseRestoreTest } from '../../../src/catalog/restore-test.js';

const ID = '20261120-020000-ab12';
const SHA = 'a'.repeat(64);

/** A manifest as backup-db writes it, with `changes` applied (a key set to undefined is left out). */
function manifest(changes: Record<string, unknown> = {}): Record<string, unknown> {
  const written: BackupManifest = {
    format: 'runbook-backup/1', id: ID, kind: 'db', host: 'ctl1', created: '2026-11-20T02:00:00.000Z',
    run: { id: ID, runbook: 'backup-db', version: '1.0.0' }, source_digest: '', contents: { databases: ['nova'] }, depends_on: null,
    files: [{ name: 'nova.sql.gz', size: 1234, sha256: SHA }, { name: 'nova_api.sql.gz', size: 0, sha256: 'b'.repeat(64) }],
    verified: true, verified_at: '2026-11-20T02:00:05.000Z',
  };
  return { ...written, ...changes };
}

/** Its problem, or 'ok'. */
const problemOf = (value: unknown): string => {
  const parsed = parseManifest(JSON.stringify(value, null, 2));
  return parsed.ok ? 'ok' : parsed.problem;
};
const withFile = (file: Record<string, unknown>) => manifest({ files: [{ name: 'nova.sql.gz', size: 1, sha256: SHA }, file] });

describe('parseManifest: a manifest is untrusted input', () => {
  it('reads what backup-db and backup-files write', () => {
    const parsed = parseManifest(JSON.stringify(manifest(), null, 2));
    expect(parsed).toEqual({ ok: true, manifest: manifest() });
    expect(problemOf(manifest({ depends_on: '20261119-020000-0000', verified: false, verified_at: null }))).toBe('ok');
    expect(problemOf(withFile({ name: 'etc-my dir.tar.gz', size: 1, sha256: SHA }))).toBe('ok');
  });

  it.each([
    ['a traversal', '../../../var/tmp/x'],
    ['an absolute path', '/var/tmp/x'],
    ['a path into a folder', 'sub/x'],
    ['a NUL', 'x\u0000y'],
    ['a newline (a second line for a checksum list)', 'x\ny'],
    ['..', '..'],
    ['.', '.'],
    ['a hidden name (the catalog keeps its temporaries so)', '.x.part'],
    ['a leading - (an option to a command)', '-rf'],
    ['a backslash', 'x\\y'],
    ['the manifest itself', 'manifest.json'],
    ['the restore-test record', 'restore-test.json'],
    ['an empty name', ''],
  ])('refuses a file name with %s, naming the field and the value', (_, name) => {
    const problem = problemOf(withFile({ name, size: 1, sha256: SHA }));
    expect(problem).toMatch(/^manifest\.json:\d+:\d+: 'files\[1\]\.name' /);
    if (name !== '') expect(problem).toContain(`is ${JSON.stringify(name)}: not a plain file name`);
  });

  it('refuses a name longer than a file name can be', () => {
    expect(problemOf(withFile({ name: 'x'.repeat(256), size: 1, sha256: SHA }))).toContain("'files[1].name' must NOT have more than 255 characters");
  });

  it.each([
    [{ size: -1 }, "'files[1].size' must be at least 0"],
    [{ size: 1.5 }, "'files[1].size' must be an integer"],
    [{ size: '12' }, "'files[1].size' must be an integer"],
    [{ size: 2 ** 60 }, "'files[1].size' must be at most 9007199254740991"],
    [{ sha256: 'A'.repeat(64) }, "'files[1].sha256' is \"AAAA"],
    [{ sha256: 'a'.repeat(63) }, "'files[1].sha256' is \"aaaa"],
    [{ sha256: undefined }, "missing required key 'sha256' in files[1]"],
    [{ mode: '0600' }, "unknown key 'mode' in files[1]"],
  ])('refuses a file entry %j', (change, message) => {
    expect(problemOf(withFile({ name: 'x', size: 1, sha256: SHA, ...change }))).toContain(message);
  });

  it.each([
    ['kind', '../db'],
    ['host', 'ctl1/../../etc'],
    ['id', '.hidden'],
    ['id', '-rf'],
    ['depends_on', '../20261119-020000-0000'],
  ])('refuses a %s of %j that could not name a folder of the catalog', (key, value) => {
    const problem = problemOf(manifest({ [key]: value }));
    expect(problem).toContain(`'${key}' is ${JSON.stringify(value)}: `);
    expect(problem).toContain("letters, digits, '.', '_' or '-', starting with a letter or digit");
  });

  it('refuses a file listed twice: a fetch would keep its own first copy aside as if it had been there', () => {
    expect(problemOf(withFile({ name: 'nova.sql.gz', size: 1, sha256: SHA }))).toBe(`manifest.json: 'files[1].name' "nova.sql.gz" is listed twice`);
  });

  it('refuses an unknown format, a missing key, a wrong type and text with control characters, every problem at once', () => {
    const problem = problemOf(manifest({ format: 'runbook-backup/2', files: undefined, verified: 'true', run: { id: ID, runbook: 'backup-db\u001b[2J', version: '1' } }));
    expect(problem.split('; ')).toEqual([
      "manifest.json:1:1: missing required key 'files' in manifest.json",
      `manifest.json:2:13: 'format' must be "runbook-backup/1"`,
      expect.stringMatching(/^manifest\.json:\d+:\d+: 'run\.runbook' is "backup-db\\u001b\[2J": text without control characters$/),
      expect.stringMatching(/^manifest\.json:\d+:\d+: 'verified' must be true or false/),
    ]);
    expect(problemOf(manifest({ files: [] }))).toContain("'files' must have at least 1 item");
  });

  it('refuses what is not a JSON object', () => {
    expect(problemOf([])).toBe('not a JSON object');
    expect(parseManifest('{ "format": ')).toMatchObject({ ok: false, problem: expect.stringMatching(/^not JSON: /) });
  });

  it('allows keys a newer writer adds at the top level, and drops them', () => {
    const parsed = parseManifest(JSON.stringify(manifest({ encrypted_to: ['age1...'] })));
    expect(parsed.ok && Object.keys(parsed.manifest)).not.toContain('encrypted_to');
    expect(parsed.ok && parsed.manifest.files).toHaveLength(2);
  });
});

describe('parseRestoreTest: an untrusted record counts as no test', () => {
  const record = (changes: Record<string, unknown> = {}) =>
    JSON.stringify({ format: 'runbook-restore-test/1', backup: ID, tested_at: '2026-11-20T05:00:00.000Z', on: 'ctl1', run: { id: 'r1', runbook: 'verify-backup', version: '1.0.0' }, ...changes });

  it('reads a passed test of this backup, without keys it does not know', () => {
    expect(parseRestoreTest(record({ newer: true }), ID)).toEqual({ format: 'runbook-restore-test/1', backup: ID, tested_at: '2026-11-20T05:00:00.000Z', on: 'ctl1', run: { id: 'r1', runbook: 'verify-backup', version: '1.0.0' } });
  });

  it.each([
    ['another backup', { backup: '20261101-020000-0000' }],
    ['a host that is no name', { on: '../ctl1' }],
    ['a time with control characters', { tested_at: '2026\u001b[2J' }],
    ['a run with unknown keys', { run: { id: 'r1', runbook: 'v', version: '1', extra: 1 } }],
    ['no format', { format: undefined }],
  ])('is null for %s', (_, changes) => {
    expect(parseRestoreTest(record(changes), ID)).toBeNull();
  });

  it('is null when missing or not JSON', () => {
    expect(parseRestoreTest(undefined, ID)).toBeNull();
    expect(parseRestoreTest('{ truncated', ID)).toBeNull();
  });
});

describe('parseManifest never throws, whatever the bytes', () => {
  it('refuses a manifest nested thousands deep without handing it to the YAML reader (V8 dies of that, uncatchably)', () => {
    for (const depth of [100, 10_000, 100_000]) {
      const deep = '['.repeat(depth) + ']'.repeat(depth);
      expect(parseManifest(`{"format":"runbook-backup/1","files":${deep}}`)).toEqual({ ok: false, problem: 'nested more than 32 levels deep' });
      expect(parseManifest(`{"contents":{"a":${deep}}}`)).toEqual({ ok: false, problem: 'nested more than 32 levels deep' });
    }
  });

  it('3,000 random mutations of a good manifest each parse or give a problem (a seeded generator: a failure repeats)', () => {
    let seed = 13;
    const random = (below: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % below;
    const text = JSON.stringify(manifest(), null, 2);
    const pieces = ['{', '}', '[', ']', '"', ',', ':', '\t', '\n', '\\', 'a', '0', '-', 'e', '\u0000', '\u2028', '*', '&', '!', '#', '../', '1e999'];
    for (let i = 0; i < 3000; i++) {
      const chars = text.split('');
      for (let edits = 1 + random(4); edits > 0; edits--) chars.splice(random(chars.length), random(3), pieces[random(pieces.length)] ?? '');
      const parsed = parseManifest(chars.join(''));
      expect(parsed.ok || parsed.problem.length > 0).toBe(true);
    }
  });
});
