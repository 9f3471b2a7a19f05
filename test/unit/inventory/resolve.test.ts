import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInventorySpec } from '../../../src/inventory/resolve.js';

/** A working directory with inventory/lab.yaml and, beside it, a folder named lab (as this repository has). */
function workdir(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'inv-resolve-'));
  mkdirSync(join(cwd, 'inventory'));
  writeFileSync(join(cwd, 'inventory', 'lab.yaml'), 'all: {}\n');
  mkdirSync(join(cwd, 'lab'));
  writeFileSync(join(cwd, 'lab', 'api.ts'), 'export {};\n');
  mkdirSync(join(cwd, 'site'));
  writeFileSync(join(cwd, 'site', 'hosts.ini'), '[g]\nh1\n');
  return cwd;
}

describe('resolveInventorySpec', () => {
  it('takes a bare name as inventory/NAME.yaml first, even where a folder of that name exists', () => {
    const cwd = workdir();
    expect(resolveInventorySpec('lab', cwd)).toEqual({ ok: true, value: { kind: 'sources', sources: [join(cwd, 'inventory', 'lab.yaml')] } });
  });

  it('takes a bare name that is no inventory name as a path, and a path as a path', () => {
    const cwd = workdir();
    expect(resolveInventorySpec('site', cwd)).toEqual({ ok: true, value: { kind: 'sources', sources: [join(cwd, 'site')] } });
    expect(resolveInventorySpec('./lab', cwd)).toEqual({ ok: true, value: { kind: 'sources', sources: [join(cwd, 'lab')] } });
  });

  it('names every place it looked when there is nothing', () => {
    const result = resolveInventorySpec('prod', workdir());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error[0]?.message).toMatch(/^no inventory 'prod' \(looked for .*inventory\/prod\.yaml, .*inventory\/prod\.yml, .*inventory\/prod, .*\/prod\)$/);
  });
});
