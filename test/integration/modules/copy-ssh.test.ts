import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyModule, type CopyArgs } from '../../../src/modules/copy.js';
import { checkThenApply, type ModuleHosts, startModuleHosts, tree, workDir } from './hosts.js';
import { modeOf, namesIn } from './local-host.js';

let hosts: ModuleHosts;
beforeAll(async () => {
  hosts = await startModuleHosts(1);
});
afterAll(async () => hosts?.stop());

describe('copy over real ssh', () => {
  it('writes through the channel stdin, is ok after, rolls back exactly, and commit leaves nothing', async () => {
    const dir = workDir();
    const dest = `${dir}/nova.conf`;
    writeFileSync(dest, '[database]\nconnection = old\n');
    chmodSync(dest, 0o640);
    const before = tree(dir);
    const ctx = hosts.context('h1');
    // A quote, a newline and a secret: none of it may reach a command line.
    const args: CopyArgs = { dest, content: "[database]\nconnection = mysql://nova:p'w;rm -rf /@db/nova\n", mode: '0600' };

    const { checked, prior, applied } = await checkThenApply(copyModule, ctx, args);
    expect(checked.status).toBe('change');
    expect(applied).toMatchObject({ ok: true });
    expect(applied!.commands.map((c) => c.command).join('\n')).not.toContain('p\'w');
    expect(readFileSync(dest, 'utf8')).toBe(args.content);
    expect((await copyModule.check(ctx, args)).status).toBe('ok');

    expect(await copyModule.rollback!(ctx, args, prior!)).toMatchObject({ ok: true });
    expect(tree(dir)).toBe(before);

    const again = await checkThenApply(copyModule, ctx, args);
    expect(await copyModule.commit!(ctx, args, again.prior!)).toMatchObject({ ok: true });
    expect(modeOf(dest)).toBe('600');
    expect(namesIn(dir)).toEqual(['nova.conf']);
  });
});
