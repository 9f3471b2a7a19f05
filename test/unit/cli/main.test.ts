import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI } from '../../support/cli.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the built CLI with a bug planted in `validate` (its `.flat()` throws a two-line error). */
function withBug(env: NodeJS.ProcessEnv = {}) {
  const plant = 'data:text/javascript,Array.prototype.flat=function(){throw new TypeError("planted bug\\nsecond line")}';
  return spawnSync(process.execPath, ['--import', plant, CLI, 'validate', 'runbooks/restart-nova.yaml'], { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('the CLI boundary for unexpected throws', () => {
  it('prints one line and exits 1', () => {
    const { status, stderr } = withBug({ RUNBOOK_DEBUG: '' });
    expect(status).toBe(1);
    expect(stderr).toBe('internal error: TypeError: planted bug (a bug in runbook; RUNBOOK_DEBUG=1 shows where)\n');
  });

  it('adds the stack with RUNBOOK_DEBUG=1', () => {
    const { status, stderr } = withBug({ RUNBOOK_DEBUG: '1' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^internal error: TypeError: planted bug\nsecond line\n\s+at /);
  });
});
