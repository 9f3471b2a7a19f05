import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffCommand } from '../../../src/commands/diff.js';
import { fakeIO } from './fake-io.js';

const fixtures = fileURLToPath(new URL('../../fixtures/diff/', import.meta.url));
const fixture = (name: string, file: string): string => readFileSync(join(fixtures, name, file), 'utf8');

describe('runbook diff OLD NEW', () => {
  it('exits 0 for a correct bump, markdown on stdout', async () => {
    const io = fakeIO(fixtures);
    expect(await diffCommand(['patch-only/old.yaml', 'patch-only/new.yaml'], { json: false }, io)).toBe(0);
    expect(io.stdout.join('\n')).toContain('## recover-db 1.2.0 → 1.2.1');
  });

  it('exits 1 when the version was not bumped, and says so in JSON too', async () => {
    const io = fakeIO(fixtures);
    expect(await diffCommand(['not-bumped/old.yaml', 'not-bumped/new.yaml'], { json: true }, io)).toBe(1);
    const out = JSON.parse(io.stdout.join('\n')) as { ok: boolean; runbooks: { flags: { kind: string }[] }[] };
    expect(out.ok).toBe(false);
    expect(out.runbooks[0]?.flags.map((f) => f.kind)).toContain('version-not-bumped');
  });

  it('exits 1 when the version was bumped wrongly', async () => {
    expect(await diffCommand(['rollback-removed/old.yaml', 'rollback-removed/new.yaml'], { json: false }, fakeIO(fixtures))).toBe(1);
  });

  it('exits 2 without two files, or with a missing one', async () => {
    expect(await diffCommand(['patch-only/old.yaml'], { json: false }, fakeIO(fixtures))).toBe(2);
    const io = fakeIO(fixtures);
    expect(await diffCommand(['patch-only/old.yaml', 'nope.yaml'], { json: false }, io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('cannot read nope.yaml');
  });
});

describe('runbook diff on malformed YAML', () => {
  it.each(['runbook-unknown-alias.yaml', 'runbook-alias-bomb.yaml', 'runbook-alias-cycle.yaml'])('%s: exit 2 with the diagnostic, no throw', async (file) => {
    const malformed = fileURLToPath(new URL('../../fixtures/malformed/', import.meta.url));
    const io = fakeIO(malformed);
    expect(await diffCommand([join(fixtures, 'patch-only/old.yaml'), file], { json: false }, io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(new RegExp(`${file}:\\d+:\\d+: error: YAML: `));
  });
});

describe('runbook diff --base REV on a git repository', () => {
  let repo: string;
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'diff-base-'));
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'test@example.invalid');
    git('config', 'user.name', 'test');
    mkdirSync(join(repo, 'runbooks'));
    writeFileSync(join(repo, 'runbooks', 'recover-db.yaml'), fixture('not-bumped', 'old.yaml'));
    writeFileSync(join(repo, 'runbooks', 'other.yaml'), fixture('patch-only', 'old.yaml').replace('name: recover-db', 'name: other'));
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    return () => rmSync(repo, { recursive: true, force: true });
  });

  it('diffs only the runbooks changed since the revision and fails on a missing bump', async () => {
    writeFileSync(join(repo, 'runbooks', 'recover-db.yaml'), fixture('not-bumped', 'new.yaml'));
    const io = fakeIO(repo);
    expect(await diffCommand([], { base: 'main', json: false }, io)).toBe(1);
    const out = io.stdout.join('\n');
    expect(out).toContain('## recover-db 1.2.0 → 1.2.0');
    expect(out).toContain('- removed `start-api` (was step 3)');
    expect(out).not.toContain('## other');
  });

  it('reports a new runbook as added and a deleted one as removed', async () => {
    writeFileSync(join(repo, 'runbooks', 'recover-db.yaml'), fixture('not-bumped', 'old.yaml'));
    writeFileSync(join(repo, 'runbooks', 'brand-new.yaml'), fixture('patch-only', 'new.yaml').replace('name: recover-db', 'name: brand-new'));
    rmSync(join(repo, 'runbooks', 'other.yaml'));
    const io = fakeIO(repo);
    expect(await diffCommand([], { base: 'HEAD', json: true }, io)).toBe(0);
    const out = JSON.parse(io.stdout.join('\n')) as { runbooks: { name: string; status: string }[] };
    expect(out.runbooks.map((r) => [r.name, r.status])).toEqual([
      ['brand-new', 'added'],
      ['other', 'removed'],
    ]);
  });

  it('diffs a file given by path from a subdirectory', async () => {
    writeFileSync(join(repo, 'runbooks', 'recover-db.yaml'), fixture('not-bumped', 'old.yaml').replace('version: 1.2.0', 'version: 1.2.1').replace('Import the dump', 'Import it'));
    const io = fakeIO(join(repo, 'runbooks'));
    expect(await diffCommand(['recover-db.yaml'], { base: 'HEAD', json: false }, io)).toBe(0);
    expect(io.stdout.join('\n')).toContain('  - name: `Import the dump` → `Import it`');
  });

  it('exits 2 on an unknown revision', async () => {
    const io = fakeIO(repo);
    expect(await diffCommand(['runbooks/recover-db.yaml'], { base: 'no-such-rev', json: false }, io)).toBe(2);
    expect(io.stderr.join('\n')).toContain("unknown git revision 'no-such-rev'");
  });
});
