import type { CatalogEntry } from '../../catalog/manifest.js';
import { pathUnder } from '../../catalog/layout.js';
import { RESTORE_TEST_FORMAT, RESTORE_TEST_NAME, type RestoreTest } from '../../catalog/restore-test.js';
import { sh } from '../../command/command.js';
import type { ActionOutcome, CheckOutcome, ModuleContext } from '../module.js';
import { refused } from '../outcome.js';
import { shOn } from '../remote.js';
import { type CatalogArgs, type CatalogPrior, type CatalogState, lookUp, factsOf } from './args.js';
import { writeOnStorage } from './storage.js';

/**
 * `tested`: the backup has a restore-test record (`restore-test.json` beside its manifest),
 * written by the last step of a runbook that restored it into scratch space and compared it
 * (verify-backup); `force` writes a new one. Rollback puts the previous record back.
 */
export const testedState: CatalogState = {
  takes: ['force'],
  needs: ['id'],

  async check(ctx, args) {
    const looked = await lookUp(ctx, args, true);
    if ('status' in looked) return looked;
    return testedCheck(args, looked.entry, looked.missing);
  },

  async apply(ctx, args, prior) {
    if (!prior.entry) return refused(`catalog state ${args.state} has nothing to apply`);
    return recordTest(ctx, args, prior.entry, prior);
  },

  rollback: unrecordTest,

  show: (args, { arg: s }, which) => `records in ${s('root')} on ${s('storage')} that the ${which} passed a restore test${args.force === undefined ? '' : ` (a new record when ${s('force')})`}`,
};

/** tested: `ok` when the backup already has a restore-test record and no new one is forced. */
function testedCheck(args: CatalogArgs, entry: CatalogEntry | undefined, missing: string): CheckOutcome<CatalogPrior> {
  if (!entry) return { status: 'failed', message: `${missing} in ${args.root} on ${args.storage}`, commands: [] };
  if (entry.restore_test && !isForced(args.force)) return { status: 'ok', commands: [], facts: factsOf(entry) };
  return { status: 'change', prior: { entry }, commands: [] };
}

/** `force` is a boolean, or the text of one once a template (`"{{params.retest}}"`) is rendered. */
function isForced(force: CatalogArgs['force']): boolean {
  return force === true || force === 'true';
}

async function recordTest(ctx: ModuleContext, args: CatalogArgs, entry: CatalogEntry, prior: CatalogPrior): Promise<ActionOutcome> {
  const record: RestoreTest = {
    format: RESTORE_TEST_FORMAT,
    backup: entry.id,
    tested_at: new Date().toISOString(),
    on: ctx.host.name,
    run: { id: ctx.runId, runbook: ctx.runbook?.name ?? '', version: ctx.runbook?.version ?? '' },
  };
  prior.recorded = { dir: entry.dir, previous: entry.restore_test };
  const written = await writeOnStorage(ctx, args, entry.dir, RESTORE_TEST_NAME, `${JSON.stringify(record, null, 2)}\n`);
  if (!written.ok) return { ...written, message: written.message ?? `cannot write ${RESTORE_TEST_NAME} in ${entry.dir} on ${args.storage}` };
  return { ...written, facts: factsOf({ ...entry, restore_test: record }) };
}

/** tested rollback: the record this step wrote removed, or the one it replaced written back. */
async function unrecordTest(ctx: ModuleContext, args: CatalogArgs, prior: CatalogPrior): Promise<ActionOutcome> {
  if (!prior.recorded) return { ok: true, commands: [] };
  const { dir, previous } = prior.recorded;
  if (previous) return writeOnStorage(ctx, args, dir, RESTORE_TEST_NAME, `${JSON.stringify(previous, null, 2)}\n`);
  const path = pathUnder(dir, RESTORE_TEST_NAME);
  if (!path.ok) return refused(path.problem);
  return shOn(ctx, await ctx.connectionTo(args.storage), sh`rm -f -- ${path.path}`);
}
