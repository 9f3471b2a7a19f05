import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validate } from '../../../src/commands/validate.js';
import { fakeIO } from './fake-io.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('runbook validate', () => {
  it('takes a folder as the YAML files in it', async () => {
    const io = fakeIO(root);
    expect(await validate(['drills/', 'runbooks/backup-db.yaml'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/^\d+ files valid$/);
    expect(Number(/^(\d+)/.exec(io.stdout.join(''))?.[1])).toBeGreaterThan(5);
  });

  it('reports every broken file of a folder at file:line:col, exit 2', async () => {
    const io = fakeIO(root);
    expect(await validate(['test/fixtures/runbooks/broken/'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/catalog-tested-without-id\.yaml:7:5: error: catalog with state: tested needs id/);
  });

  it('prints warnings with the one diagnostic printer and still exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    mkdirSync(join(dir, 'drills'));
    const drill = readFileSync(join(root, 'drills/nova-db-loss.yaml'), 'utf8');
    writeFileSync(join(dir, 'drills/nova-db-loss.yaml'), drill);
    const io = fakeIO(dir);
    expect(await validate(['drills/'], io)).toBe(0);
    expect(io.stderr.join('\n')).toMatch(new RegExp(`^${join(dir, 'drills/nova-db-loss.yaml')}: warning: runbook '[a-z-]+' is not in runbooks/`, 'm'));
    expect(io.stderr.join('\n')).toMatch(/\d+ warnings? in 1 file$/);
    expect(io.stdout).toEqual(['1 file valid']);
  });
});
