import { describe, expect, it } from 'vitest';
import { sh } from '../../../src/command/command.js';
import { attributesMatch, createdPaths, normalizeMode, parseFact, restoreAttributeCommands } from '../../../src/modules/facts.js';

describe('parseFact', () => {
  it.each([
    ['directory\n2755 nova nova 64 64\n', { type: 'directory', mode: '2755', owner: 'nova', group: 'nova', uid: '64', gid: '64' }],
    ['file\n640 root nova 0 64\nabc\n', { type: 'file', mode: '640', owner: 'root', group: 'nova', uid: '0', gid: '64', sha256: 'abc' }],
    ['link\n../target with space\n', { type: 'link', target: '../target with space' }],
    ['other\n', { type: 'other' }],
    ['missing\n/srv/a\n', { type: 'missing', firstMissing: '/srv/a' }],
  ])('%j', (stdout, fact) => expect(parseFact(stdout)).toEqual(fact));
});

describe('modes', () => {
  it.each([['0640', '640'], ['640', '640'], ['0o640', '640'], ['00755', '755'], ['2755', '2755'], ['02755', '2755'], ['0', '000']])('%s is %s', (mode, normal) =>
    expect(normalizeMode(mode)).toBe(normal));

  it('a 3-digit mode on a directory ignores setuid/setgid (chmod keeps them), not the sticky bit', () => {
    expect(attributesMatch({ type: 'directory', mode: '2755' }, { mode: '0755' })).toBe(true);
    expect(attributesMatch({ type: 'directory', mode: '1755' }, { mode: '0755' })).toBe(false);
    expect(attributesMatch({ type: 'file', mode: '2755' }, { mode: '0755' })).toBe(false);
  });

  it('owner and group match by name or numeric id', () => {
    expect(attributesMatch({ type: 'file', owner: 'nova', uid: '64', group: 'nova', gid: '64' }, { owner: '64', group: 'nova' })).toBe(true);
    expect(attributesMatch({ type: 'file', owner: 'root', uid: '0' }, { owner: 'nova' })).toBe(false);
  });

  it('restores with 5 digits (clears directory setgid) and numeric ids, only what was asked', () => {
    const before = { type: 'directory', mode: '755', owner: 'root', group: 'root', uid: '0', gid: '0' } as const;
    expect(restoreAttributeCommands(sh`/d`, before, { mode: '2770', owner: 'nova' }).map((c) => c.text)).toEqual(['chmod 00755 -- /d', 'chown 0:0 -- /d']);
    expect(restoreAttributeCommands(sh`/d`, before, {})).toEqual([]);
  });
});

describe('createdPaths', () => {
  it.each([
    ['/srv/a/b', '/srv/a', ['/srv/a/b', '/srv/a']],
    ['/srv/a', '/srv/a', ['/srv/a']],
    ['rel/x', 'rel', ['rel/x', 'rel']],
    // An answer that is not on the way stops at the root rather than looping.
    ['/a/b', '/zzz', ['/a/b', '/a', '/']],
  ])('%s from %s', (path, firstMissing, created) => expect(createdPaths(path, { type: 'missing', firstMissing })).toEqual(created));
});
