import { describe, expect, it } from 'vitest';
import { probeModule } from '../../../src/modules/probe.js';
import { fakeHost } from './fake-host.js';

describe('probe', () => {
  it('is ok whatever it reads, registers stdout without its trailing newline, feeds stdin', async () => {
    const host = fakeHost([{ command: 'sha256sum', stdout: 'abc123\n' }]);
    const checked = await probeModule.check(host.ctx, { probe: 'sha256sum /etc/nova/nova.conf', stdin: 'secret' });
    expect(checked).toMatchObject({ status: 'ok', facts: { stdout: 'abc123' } });
    expect(host.stdins).toEqual(['secret']);
  });

  it('shows what it read beside its ok: the first lines, or nothing when it read nothing', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `db${i}: equal`).join('\n');
    const many = await probeModule.check(fakeHost([{ command: 'compare', stdout: `${lines}\n` }]).ctx, { probe: 'compare' });
    expect(many).toMatchObject({ status: 'ok', summary: `${lines.split('\n').slice(0, 10).join('\n')}\n(2 more line(s) in the journal)` });
    const quiet = await probeModule.check(fakeHost([{ command: 'true', stdout: '' }]).ctx, { probe: 'true' });
    expect(quiet).not.toHaveProperty('summary');
  });

  it('fails the step, with the command\'s stderr, when the command exits non-zero', async () => {
    const host = fakeHost([{ command: 'mysql', exitCode: 1 }]);
    const checked = await probeModule.check(host.ctx, { probe: 'mysql -e "select 1"' });
    expect(checked).toMatchObject({ status: 'failed', message: 'probe exited 1: failed' });
  });
});
