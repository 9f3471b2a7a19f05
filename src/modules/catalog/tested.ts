import type { CatalogEntry } from '../../catalog/manifest.js';
import { pathUnder } from '../../catalog/layout.js';
import { RESTORE_TEST_FORMAT, RESTORE_TEST_NAME, type RestoreTest } from '../../catalog/restore-test.js';
import { sh } from '../../command/command.js';
import type { ActionOutcome, CheckOutcome, ModuleContext } from '../module.js';
import { refused } from '../outcome.js';
import { shOn } from '../remote.js';
import { createHash } from 'node:crypto';
import { objectsOf } from '../../offsite/catalog.js';
import { deleteScript, locationOf, putTextScript, swiftStdin } from '../../offsite/swift.js';
import { type CatalogArgs, type CatalogPrior, type CatalogState, factsOf } from './args.js';
import { type FoundEither, copyWords, lookUpEither, missingPlaces, offsiteOf } from './offsite.js';
import { writeOnStorage } from './storage.js';

/**
 * `tested`: the backup has a restore-test record (`restore-test.json` beside its manifest),
 * written by the last step of a runbook that restored it into scratch space and compared it
 * (verify-backup); `force` writes a new one. Rollback puts the previous record back.
 */
export const testedState: CatalogState = {
  takes: ['force', 'offsite', 'from'],
  needs: ['id'],

  async check(ctx, args) {
    const looked = await lookUpEither(ctx, args);
    if ('status' in looked) return looked;
    return testedCheck(args, looked);
  },

  async apply(ctx, args, prior) {
    if (!prior.entry) return refused(`catalog state ${args.state} has nothing to apply`);
    return recordTest(ctx, args, prior.entry, prior);
  },

  rollback: unrecordTest,

  show: (args, { arg: s }, which) => `records in ${s('root')} on ${s('storage')} that the ${which} passed a restore test${args.force === undefined ? '' : ` (a new record when ${s('force')})`}`,
};

/** tested: `ok` when the backup already has a restore-test record and no new one is forced. */
function testedCheck(args: CatalogArgs, looked: FoundEither): CheckOutcome<CatalogPrior> {
  const { entry, copy } = looked;
  if (!entry) return { status: 'failed', message: `${looked.missing} in ${missingPlaces(args, looked)}`, commands: [] };
  if (entry.restore_test && !isForced(args.force)) return { status: 'ok', commands: [], facts: { ...factsOf(entry), copy } };
  return { status: 'change', prior: { entry, copy }, commands: [], summary: `records the test of backup ${entry.id} ${copyWords(looked, args)}` };
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
  const text = `${JSON.stringify(record, null, 2)}\n`;
  const written = prior.copy === 'offsite' ? await putOffsite(ctx, args, entry, text) : await writeOnStorage(ctx, args, entry.dir, RESTORE_TEST_NAME, text);
  if (!written.ok) return { ...written, message: written.message ?? `cannot write ${RESTORE_TEST_NAME} in ${entry.dir} on ${args.storage}` };
  return { ...written, facts: factsOf({ ...entry, restore_test: record }) };
}

/** tested rollback: the record this step wrote removed, or the one it replaced written back. */
async function unrecordTest(ctx: ModuleContext, args: CatalogArgs, prior: CatalogPrior): Promise<ActionOutcome> {
  if (!prior.recorded) return { ok: true, commands: [] };
  const { dir, previous } = prior.recorded;
  if (prior.copy === 'offsite' && prior.entry) return previous ? putOffsite(ctx, args, prior.entry, `${JSON.stringify(previous, null, 2)}\n`) : deleteOffsite(ctx, args, prior.entry);
  if (previous) return writeOnStorage(ctx, args, dir, RESTORE_TEST_NAME, `${JSON.stringify(previous, null, 2)}\n`);
  const path = pathUnder(dir, RESTORE_TEST_NAME);
  if (!path.ok) return refused(path.problem);
  return shOn(ctx, await ctx.connectionTo(args.storage), sh`rm -f -- ${path.path}`);
}

/** The off-site copy's record: an object beside its manifest, written through this host. */
async function putOffsite(ctx: ModuleContext, args: CatalogArgs, entry: CatalogEntry, text: string): Promise<ActionOutcome> {
  const target = offsiteOf(args);
  if (!target) return refused('the off-site copy is not declared any more');
  const [object = ''] = objectsOf(entry, [{ name: RESTORE_TEST_NAME }]);
  const result = await ctx.exec(putTextScript(target, object, createHash('md5').update(text).digest('hex')).text, { stdin: swiftStdin(target, text) });
  return { ok: result.exitCode === 0, commands: [result], ...(result.exitCode === 0 ? {} : { message: `cannot write ${RESTORE_TEST_NAME} of backup ${entry.id} in ${locationOf(target)}: ${result.stderr.trim()}` }) };
}

async function deleteOffsite(ctx: ModuleContext, args: CatalogArgs, entry: CatalogEntry): Promise<ActionOutcome> {
  const target = offsiteOf(args);
  if (!target) return refused('the off-site copy is not declared any more');
  const result = await ctx.exec(deleteScript(target, objectsOf(entry, [{ name: RESTORE_TEST_NAME }])).text, { stdin: swiftStdin(target) });
  return { ok: result.exitCode === 0, commands: [result] };
}
