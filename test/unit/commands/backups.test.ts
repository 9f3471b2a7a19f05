import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type BackupsRequest, listBackups } from '../../../src/commands/backups.js';
import { fakeIO } from './fake-io.js';

// The refusals that come before any host is reached (the lab test covers the rest).
const repo = fileURLToPath(new URL('../../../', import.meta.url));

describe('runbook backups: usage errors exit 2 before any host is reached', () => {
  it.each<[Partial<BackupsRequest>, string]>([
    [{ json: true, metrics: true }, '--json, --metrics and --check go one at a time'],
    [{ metrics: true, check: true, maxAge: '26h' }, '--json, --metrics and --check go one at a time'],
    [{ output: '/tmp/x.prom' }, '--output goes with --metrics'],
    [{ check: true }, '--check needs --max-age'],
    [{ check: true, maxAge: 'yesterday' }, '--max-age "yesterday": expected a duration'],
    [{ check: true, maxAge: '0s' }, '--max-age "0s": expected a duration'],
    [{ check: true, maxAge: '26h', maxUntestedAge: 'weekly' }, '--max-untested-age "weekly": expected a duration'],
    [{ check: true, maxAge: '26h', expect: ['controller'] }, '--expect "controller": expected KIND:PATTERN'],
    [{ check: true, maxAge: '26h', expect: ['db:nosuchgroup'] }, "unknown host or group 'nosuchgroup'"],
  ])('%j', async (changes, message) => {
    const io = fakeIO(repo);
    const code = await listBackups({ inventory: 'lab', json: false, ...changes }, io);
    expect(code).toBe(2);
    expect(io.stderr.join('\n')).toContain(message);
    expect(io.stdout).toEqual([]);
  });
});
