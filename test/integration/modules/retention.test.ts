import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { retentionModuleWith, type RetentionPrior } from '../../../src/modules/retention.js';
import type { RetentionArgs } from '../../../src/modules/retention.js';
import { type MadeUpBackup, daysAgo, pathOf, writeCatalogScript } from '../../support/catalog.js';
import { localContext } from './local-host.js';

// The module on a real shell and filesystem: what check promises, apply moves aside, rollback
// brings back and commit removes, with a clock the test sets.
const NOW = new Date();
const module = retentionModuleWith(() => NOW);

const CATALOG: MadeUpBackup[] = [
  { kind: 'db', host: 'ctl1', created: daysAgo(1) },
  { kind: 'db', host: 'ctl1', created: daysAgo(2) },
  { kind: 'db', host: 'ctl1', created: daysAgo(3) },
  { kind: 'db', host: 'ctl1', created: daysAgo(4) },
  { kind: 'files', host: 'ctl1', created: daysAgo(1) },
  { kind: 'files', host: 'ctl1', created: daysAgo(2) },
];
const [db1, db2, db3, db4, files1, files2] = CATALOG as [MadeUpBackup, MadeUpBackup, MadeUpBackup, MadeUpBackup, MadeUpBackup, MadeUpBackup];

let root: string;

/** Every backup folder under root (`kind/host/id`), the trash excluded. */
const folders = (): string[] =>
  readdirSync(root).filter((k) => !k.startsWith('.')).flatMap((k) => readdirSync(join(root, k)).flatMap((h) => readdirSync(join(root, k, h)).map((id) => `${k}/${h}/${id}`))).sort();

const write = (backups: MadeUpBackup[], unfinished: string[] = []): void => void execFileSync('sh', ['-c', writeCatalogScript(root, backups, unfinished)]);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'retention-'));
  write(CATALOG, ['db/ctl1/20200101-000000-part']);
});

async function checked(args: RetentionArgs) {
  const { ctx } = await localContext();
  const outcome = await module.check(ctx, args);
  return { ctx, outcome };
}

describe('retention on a real filesystem', () => {
  it('check reads the catalog and lists what it would delete and why, touching nothing', async () => {
    const { outcome } = await checked({ root, keep_last: 2 });
    expect(outcome.status).toBe('change');
    if (outcome.status !== 'change') return;
    expect(outcome.prior.deletions.map((d) => d.dir)).toEqual([join(root, pathOf(db3)), join(root, pathOf(db4))]);
    expect(outcome.summary).toContain(`would delete 2 of 6 backups in ${root}:`);
    expect(outcome.summary).toMatch(new RegExp(`${pathOf(db3)}\\s+deleted: not kept by keep_last 2`));
    expect(outcome.summary).toMatch(new RegExp(`${pathOf(db1)}\\s+kept: newest 2; newest verified db backup of ctl1`));
    expect(folders()).toHaveLength(7);
  });

  it('apply moves into this run\'s trash, rollback moves back, commit removes; unfinished backups are never touched', async () => {
    const { ctx, outcome } = await checked({ root, keep_last: 1 });
    if (outcome.status !== 'change') throw new Error(outcome.status);
    const applied = await module.apply(ctx, { root, keep_last: 1 }, outcome.prior);
    expect(applied.ok, applied.commands.map((c) => c.stderr).join()).toBe(true);
    expect(folders()).toEqual([pathOf(db1), 'db/ctl1/20200101-000000-part', pathOf(files1)].sort());
    expect(existsSync(join(root, '.trash', 'r1', pathOf(db4)))).toBe(true);

    expect((await module.rollback!(ctx, { root }, outcome.prior)).ok).toBe(true);
    expect(folders()).toHaveLength(7);
    expect(existsSync(join(root, '.trash'))).toBe(false);

    expect((await module.apply(ctx, { root, keep_last: 1 }, outcome.prior)).ok).toBe(true);
    expect((await module.commit!(ctx, { root }, outcome.prior)).ok).toBe(true);
    expect(folders()).toEqual([pathOf(db1), 'db/ctl1/20200101-000000-part', pathOf(files1)].sort());
    expect(existsSync(join(root, '.trash'))).toBe(false);
    expect((await module.check(ctx, { root, keep_last: 1 })).status).toBe('ok');
  });

  it('kind and host select the backups it looks at', async () => {
    const { outcome } = await checked({ root, keep_last: 1, kind: 'files' });
    if (outcome.status !== 'change') throw new Error(outcome.status);
    expect(outcome.prior.deletions.map((d) => d.dir)).toEqual([join(root, pathOf(files2))]);
  });

  it('apply refuses, deleting nothing, when a backup it would delete has become needed since the check', async () => {
    const { ctx, outcome } = await checked({ root, keep_last: 1 });
    if (outcome.status !== 'change') throw new Error(outcome.status);
    // A new backup that depends on db4 arrives between check and apply.
    const newer = { kind: 'db', host: 'ctl1', created: new Date(NOW.getTime() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'), dependsOn: db4.created } satisfies MadeUpBackup;
    write([newer]);
    const applied = await module.apply(ctx, { root, keep_last: 1 }, outcome.prior as RetentionPrior);
    expect(applied.ok).toBe(false);
    expect(applied.message).toContain(`the catalog changed since the check; nothing was deleted: ${pathOf(db4)} is now kept: backup `);
    expect(folders()).toHaveLength(8);
  });

  it('a missing catalog root is nothing to delete; a policy without any rule fails the check', async () => {
    expect((await checked({ root: join(root, 'nope'), keep_last: 1 })).outcome.status).toBe('ok');
    const none = (await checked({ root })).outcome;
    expect(none.status === 'failed' && none.message).toBe('retention needs at least one of keep_last, daily, weekly, monthly, max_age');
  });

  it('takes counts and max_age rendered from templates, and refuses what is not a number or a duration', async () => {
    const { outcome } = await checked({ root, keep_last: '1', max_age: '90d' });
    expect(outcome.status).toBe('change');
    const bad = (await checked({ root, keep_last: 'seven' })).outcome;
    expect(bad.status === 'failed' && bad.message).toBe("retention keep_last 'seven' is not a whole number");
    const age = (await checked({ root, max_age: 'a year' })).outcome;
    expect(age.status === 'failed' && age.message).toContain("retention max_age 'a year' is not a duration");
  });
});
