import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateFile } from '../../../src/commands/validate.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const shipped = readdirSync(`${root}runbooks`).filter((f) => f.endsWith('.yaml'));

describe('shipped runbooks', () => {
  it.each(shipped)('%s names the schema for editors and validates', async (file) => {
    const path = `${root}runbooks/${file}`;
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/runbook.schema.json');
    expect(await validateFile(path, root)).toEqual([]);
  });
});
