import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fingerprint,
  hashHostName,
  hostFieldMatches,
  keyTypeOf,
  knownHostsLine,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
  verifyHostKey,
} from '../../../src/connection/known-hosts.js';

/** A real ed25519 public key from ssh-keygen: [type, base64, blob, the .pub file path]. */
function newKey(): { type: string; base64: string; blob: Buffer; pub: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kh-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
  const [type, base64] = readFileSync(join(dir, 'k.pub'), 'utf8').split(' ') as [string, string];
  return { type, base64, blob: Buffer.from(base64, 'base64'), pub: join(dir, 'k.pub') };
}

const a = newKey();
const b = newKey();

describe('parseKnownHosts', () => {
  it('reads plain, hashed, bracketed and marked lines, skipping comments and junk', () => {
    const text = [
      '# comment',
      '',
      `ctl1,10.0.0.11 ${a.type} ${a.base64} a comment`,
      `[10.0.0.31]:2222 ${a.type} ${a.base64}`,
      `${hashHostName('cmp1')} ${b.type} ${b.base64}`,
      `@revoked * ${b.type} ${b.base64}`,
      `@cert-authority *.example ${a.type} ${a.base64}`,
      '@bogus host ssh-ed25519 AAAA',
      'only-one-field',
    ].join('\n');
    const entries = parseKnownHosts(text);
    expect(entries.map((e) => [e.line, e.marker ?? '', e.keyType])).toEqual([
      [3, '', 'ssh-ed25519'],
      [4, '', 'ssh-ed25519'],
      [5, '', 'ssh-ed25519'],
      [6, 'revoked', 'ssh-ed25519'],
      [7, 'cert-authority', 'ssh-ed25519'],
    ]);
    expect(entries[0]?.key.equals(a.blob)).toBe(true);
  });
});

describe('hostFieldMatches', () => {
  it.each([
    ['ctl1,10.0.0.11', '10.0.0.11', true],
    ['ctl1,10.0.0.11', 'ctl2', false],
    ['[10.0.0.31]:2222', '[10.0.0.31]:2222', true],
    ['10.0.0.31', '[10.0.0.31]:2222', false],
    ['*.example.org', 'db.example.org', true],
    ['10.0.0.?', '10.0.0.5', true],
    ['*.example.org,!db.example.org', 'db.example.org', false],
    ['CTL1', 'ctl1', true],
  ])('%s vs %s -> %s', (field, name, expected) => {
    expect(hostFieldMatches(field, name)).toBe(expected);
  });

  it('matches hashed names, including those ssh-keygen -H writes', () => {
    expect(hostFieldMatches(hashHostName('[127.0.0.1]:2222'), '[127.0.0.1]:2222')).toBe(true);
    expect(hostFieldMatches(hashHostName('[127.0.0.1]:2222'), '127.0.0.1')).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), 'kh-'));
    const file = join(dir, 'known_hosts');
    execFileSync('sh', ['-c', `echo "[10.1.2.3]:2200 $(cat ${a.pub})" > ${file} && ssh-keygen -q -H -f ${file}`]);
    const [entry] = parseKnownHosts(readFileSync(file, 'utf8'));
    expect(entry?.hosts).toMatch(/^\|1\|/);
    expect(hostFieldMatches(entry!.hosts, '[10.1.2.3]:2200')).toBe(true);
  });
});

describe('verifyHostKey', () => {
  const name = knownHostsName('10.0.0.31', 2222);
  it('knows a recorded key', () => {
    const entries = parseKnownHosts(`[10.0.0.31]:2222 ${a.type} ${a.base64}`);
    expect(verifyHostKey(entries, name, a.type, a.blob)).toEqual({ status: 'known' });
  });
  it('calls a different key of the same type changed', () => {
    const entries = parseKnownHosts(`x ${b.type} ${b.base64}\n[10.0.0.31]:2222 ${b.type} ${b.base64}`);
    expect(verifyHostKey(entries, name, a.type, a.blob)).toEqual({ status: 'changed', line: 2 });
  });
  it('calls a host with only other key types unknown, listing those types', () => {
    const entries = parseKnownHosts(`[10.0.0.31]:2222 ssh-rsa ${b.base64}`);
    expect(verifyHostKey(entries, name, a.type, a.blob)).toEqual({ status: 'unknown', otherTypes: ['ssh-rsa'] });
    expect(verifyHostKey([], name, a.type, a.blob)).toEqual({ status: 'unknown', otherTypes: [] });
  });
  it('refuses a revoked key even if it is also recorded', () => {
    const entries = parseKnownHosts(`[10.0.0.31]:2222 ${a.type} ${a.base64}\n@revoked * ${a.type} ${a.base64}`);
    expect(verifyHostKey(entries, name, a.type, a.blob)).toEqual({ status: 'revoked', line: 2 });
  });
  it('never matches a plain key against a @cert-authority line', () => {
    const entries = parseKnownHosts(`@cert-authority [10.0.0.31]:2222 ${a.type} ${a.base64}`);
    expect(verifyHostKey(entries, name, a.type, a.blob).status).toBe('unknown');
    expect(knownKeyTypes(entries, name)).toEqual([]);
  });
});

describe('key helpers', () => {
  it('names ports the way ssh does', () => {
    expect(knownHostsName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });
  it('reads the type from the blob and fingerprints like ssh-keygen -l', () => {
    expect(keyTypeOf(a.blob)).toBe('ssh-ed25519');
    const printed = execFileSync('ssh-keygen', ['-lf', a.pub], { encoding: 'utf8' }).split(' ')[1];
    expect(fingerprint(a.blob)).toBe(printed);
  });
  it('writes plain or hashed lines that parse back', () => {
    for (const hashed of [false, true]) {
      const [entry] = parseKnownHosts(knownHostsLine('[h]:2', a.blob, hashed));
      expect(entry && verifyHostKey([entry], '[h]:2', a.type, a.blob).status).toBe('known');
    }
  });
});
