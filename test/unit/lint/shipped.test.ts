import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../../src/lint/format.js';
import { lintRunbook } from '../../../src/lint/run.js';
import { loadRunbook } from '../../../src/runbook/load.js';
import { orThrow } from '../../support/results.js';

const dir = fileURLToPath(new URL('../../../runbooks/', import.meta.url));
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();

describe('shipped runbooks pass lint with no errors', () => {
  it.each(files)('%s', (file) => {
    const errors = lintRunbook(orThrow(loadRunbook(join(dir, file)))).findings.filter((f) => f.waived === undefined && f.severity === 'error');
    expect(errors.map(formatFinding)).toEqual([]);
  });
});
