import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../src/catalog/read.js';
import { offsiteRoot } from '../../../src/offsite/catalog.js';
import {
  type SwiftTarget, deleteScript, downloadScript, headScript, listCatalogScript, objectPath, parseHeads, parseHidden, swiftSession, swiftStdin, targetProblem, uploadScript,
} from '../../../src/offsite/swift.js';

// The Swift scripts as values: facts in (a target, objects), commands out. What they do against
// a real Swift is test/integration/offsite.test.ts.
const KEY = 'k3y-"with\\quotes$(reboot)';
const target: SwiftTarget = { auth_url: 'http://site2:8080/auth/v1.0', user: 'runbook:backup', key: KEY, container: 'runbook-backups' };

describe('targetProblem: the inventory and the environment are untrusted', () => {
  it('accepts the lab target', () => expect(targetProblem(target)).toBeUndefined());
  it.each([
    [{ auth_url: 'ftp://x/auth' }, "offsite auth_url 'ftp://x/auth' is not an http(s) URL"],
    [{ auth_url: 'http://x/a b' }, "offsite auth_url 'http://x/a b' is not an http(s) URL"],
    [{ user: 'a\nb' }, 'offsite user is empty or holds a control character'],
    [{ key: '' }, 'offsite key is empty (the runbook reads it from RUNBOOK_SWIFT_KEY)'],
    [{ key: 'a\nheader = "X: y"' }, 'offsite key holds a line break or NUL'],
    [{ container: '../other' }, "offsite container '../other' must be letters, digits, '.', '_' or '-'"],
    [{ container: 'a/b' }, "offsite container 'a/b' must be letters, digits, '.', '_' or '-'"],
  ] as const)('%j', (change, problem) => expect(targetProblem({ ...target, ...change })).toBe(problem));
});

describe('the key and the token never reach a command line', () => {
  const scripts = [
    swiftSession(target), uploadScript(target, [{ path: '/b/x', object: 'db/h/1/x', sha256: 'ab' }]), headScript(target, ['db/h/1/x']),
    downloadScript(target, 'db/h/1/x', '/d/x'), deleteScript(target, ['db/h/1/x']), listCatalogScript(target),
  ];
  it.each(scripts.map((s, i) => [i, s]))('script %i holds no key; it reads it from stdin and writes curl a 0600 config', (_i, script) => {
    expect(script.text).not.toContain(KEY);
    expect(script.text).toMatch(/^umask 077; IFS= read -r key \|\|/);
    expect(script.text).toContain('-K "$cfg"');
    expect(script.text).not.toMatch(/-H "X-Auth-(Token|Key)/i);
  });
  it('stdin is the key on its first line, then what the script reads after it', () => {
    expect(swiftStdin(target)).toBe(`${KEY}\n`);
    expect(swiftStdin(target, '{"a":1}')).toBe(`${KEY}\n{"a":1}`);
  });
  it('values from the inventory are quoted words, never code', () => {
    const hostile = swiftSession({ ...target, auth_url: 'http://x/$(touch${IFS}/tmp/p)', user: "a'b;rm -rf /" });
    expect(hostile.text).toContain(`'http://x/$(touch\${IFS}/tmp/p)'`);
    expect(hostile.text).toContain(`"$(esc 'a'\\''b;rm -rf /')"`);
  });
});

describe('uploads', () => {
  it('each file with its md5 as the ETag and its sha256 as metadata, paths and names quoted, the container made first', () => {
    const text = uploadScript(target, [{ path: '/var/backups/o/db/h/1/a b.gz', object: objectPath('db', 'h', '1', 'a b.gz'), sha256: 'f'.repeat(64) }]).text;
    expect(text).toContain(`curl -sS -f --max-time 60 -K "$cfg" -X PUT -o /dev/null "$base"`);
    expect(text).toContain(`m=$(md5sum < '/var/backups/o/db/h/1/a b.gz')`);
    expect(text).toContain(`-T '/var/backups/o/db/h/1/a b.gz' -H "ETag: \${m%% *}" -H 'X-Object-Meta-Sha256: ${'f'.repeat(64)}'`);
    expect(text).toContain(`"$base"/db/h/1/a%20b.gz`);
    expect(text.indexOf('-X PUT')).toBeLessThan(text.indexOf('-T '));
  });
  it('object names: one segment per catalog level, each URL-encoded', () => {
    expect(objectPath('files', 'cmp1', '20261120-020000-ab12', 'etc-nova.tar.gz')).toBe('files/cmp1/20261120-020000-ab12/etc-nova.tar.gz');
    expect(objectPath('db', 'h', '1', 'x?y#z%.gz')).toBe('db/h/1/x%3Fy%23z%25.gz');
  });
});

describe('what the scripts print, parsed', () => {
  it('HEAD lines: status, size, etag (quotes dropped), sha256; absent values undefined', () => {
    expect(parseHeads('200 12 "0cc175b9c0f1b6a831c399e269772661" abc\n404 - - -\n', 3)).toEqual([
      { status: 200, size: 12, etag: '0cc175b9c0f1b6a831c399e269772661', sha256: 'abc' },
      { status: 404 },
      { status: 0 },
    ]);
  });
  it('a size that is not a byte count is no size', () => expect(parseHeads('200 -3 e s', 1)).toEqual([{ status: 200, etag: 'e', sha256: 's' }]));
  it('hidden manifests, in order', () => expect(parseHidden('\u001e{"a":1}\u001e{"b":2}\n')).toEqual(['{"a":1}', '{"b":2}\n']));
});

describe('the off-site catalog is read by the storage catalog parser: a manifest from Swift is untrusted input', () => {
  const manifest = (over: Record<string, unknown> = {}): string => JSON.stringify({
    format: 'runbook-backup/1', id: '20261120-020000-ab12', kind: 'db', host: 'ctl1', created: '2026-11-20T02:00:00Z', run: { id: 'r', runbook: 'backup-db', version: '1.0.0' },
    source_digest: '', contents: {}, depends_on: null, files: [{ name: 'nova.sql.gz', size: 3, sha256: 'a'.repeat(64) }], verified: true, verified_at: '2026-11-20T02:00:00Z', ...over,
  });
  const root = offsiteRoot(target);
  it('a good one is an entry placed under the container', () => {
    const catalog = parseCatalog(root, `\u001edb/ctl1/20261120-020000-ab12\n${manifest()}`);
    expect(catalog.entries.map((e) => e.dir)).toEqual(['/runbook-backups/db/ctl1/20261120-020000-ab12']);
    expect(catalog.problems).toEqual([]);
  });
  it.each([
    ['a file name that leaves the folder', `\u001edb/ctl1/20261120-020000-ab12\n${manifest({ files: [{ name: '../../x', size: 1, sha256: 'a'.repeat(64) }] })}`, /files\[0\]\.name/],
    ['a manifest that names another backup', `\u001edb/ctl1/20261120-020000-ab12\n${manifest({ host: 'ctl2' })}`, /manifest says db\/ctl2\/20261120-020000-ab12, folder says db\/ctl1/],
    ['a name the script would not fetch (printed without a manifest)', '\u001edb/ctl1/20261120 020000\n', /not JSON/],
    ['a name with a dot-dot segment', `\u001edb/../20261120-020000-ab12\n${manifest()}`, /is not a name/],
    ['a size that is not a byte count', `\u001edb/ctl1/20261120-020000-ab12\n${manifest({ files: [{ name: 'n.gz', size: -1, sha256: 'a'.repeat(64) }] })}`, /size/],
  ])('%s is a problem, never an entry', (_what, listing, problem) => {
    const catalog = parseCatalog(root, listing);
    expect(catalog.entries).toEqual([]);
    expect(catalog.problems[0]?.problem).toMatch(problem);
  });
});
