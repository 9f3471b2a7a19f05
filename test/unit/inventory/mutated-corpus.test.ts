import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/inventory/load.js';
import { HostPatternError, evaluatePattern } from '../../../src/inventory/pattern.js';
import { inventoryJson, renderInventoryGraph } from '../../../src/inventory/render.js';

// Every inventory of the corpus, damaged at random (a fixed seed, so a failure reproduces):
// whatever the damage, loading gives an inventory or diagnostics with a message, never a throw.
const CORPUS = join(import.meta.dirname, '../../fixtures/inventories/ansible-corpus');
const MUTATIONS_PER_FILE = 40;
const CHARS = '[]:=#;"\'\n {}!&~*,-.0123456789abcxyz\\|>@%`';

function corpusFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return corpusFiles(path);
    return /README|password/.test(entry) ? [] : [path];
  });
}

function mutator(seed: number): (text: string) => string {
  let state = seed;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  return (text) => {
    let t = text;
    for (let k = 0; k < 1 + next(6); k++) {
      const pos = next(t.length + 1);
      const op = next(3);
      if (op === 0) t = t.slice(0, pos) + CHARS[next(CHARS.length)] + t.slice(pos);
      else if (op === 1) t = t.slice(0, pos) + t.slice(pos + 1 + next(5));
      else t = t.slice(0, pos) + t.slice(next(t.length)).slice(0, 20) + t.slice(pos);
    }
    return t;
  };
}

describe('a damaged inventory', () => {
  it.each(corpusFiles(CORPUS).map((f) => [f.slice(CORPUS.length + 1), f]))('%s: an inventory or diagnostics, never a throw', (_, file) => {
    const dir = mkdtempSync(join(tmpdir(), 'mutated-'));
    const target = join(dir, file.match(/\.(ya?ml|ini|json)$/)?.[0] ? `inventory${file.match(/\.(ya?ml|ini|json)$/)?.[0]}` : 'inventory');
    const mutate = mutator(file.length);
    const text = readFileSync(file, 'utf8');
    for (let i = 0; i < MUTATIONS_PER_FILE; i++) {
      writeFileSync(target, mutate(text));
      const loaded = loadInventory(target, dir, { user: 'u', home: '/h', env: {} });
      if (!loaded.ok) {
        for (const d of loaded.error) expect(d.message).not.toMatch(/undefined|\[object|^$/);
        continue;
      }
      inventoryJson(loaded.value);
      renderInventoryGraph(loaded.value);
      for (const pattern of ['all', 'a*:!b', '~x[', 'g[0]', 'a:&b']) {
        try {
          evaluatePattern(loaded.value, pattern);
        } catch (error) {
          expect(error).toBeInstanceOf(HostPatternError);
        }
      }
    }
  });
});
