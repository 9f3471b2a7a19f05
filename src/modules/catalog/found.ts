import { plainView } from '../../catalog/encryption.js';
import type { BackupFile, CatalogEntry } from '../../catalog/manifest.js';
import type { CheckOutcome, ModuleContext } from '../module.js';
import { refused } from '../outcome.js';
import { type CatalogArgs, type CatalogPrior, type CatalogState, factsOf } from './args.js';
import { sameFiles } from './files.js';
import { type FoundEither, copyWords, lookUpEither, missingPlaces, verifyThere } from './offsite.js';
import { produce } from './produce.js';

/**
 * `found`: read-only; the newest verified backup (or `id`) is registered; `verify` recomputes
 * its sha256s on the storage host; with `produce`, `matches` says whether the host's data
 * equals the backup's files of the same names (a restore would change nothing).
 */
export const foundState: CatalogState = {
  takes: ['produce', 'stdin', 'required', 'verify', 'must_match', 'offsite', 'from'],
  needs: [],

  async check(ctx, args) {
    const looked = await lookUpEither(ctx, args);
    if ('status' in looked) return looked;
    return found(ctx, args, looked);
  },

  // Its check is all it does: it never returns a change to apply, nor anything to undo.
  async apply(_ctx, args) {
    return refused(`catalog state ${args.state} has nothing to apply`);
  },

  async rollback() {
    return { ok: true, commands: [] };
  },

  show: (args, { arg: s }, which) =>
    `looks up the ${which} in ${s('root')} on ${s('storage')}${args.offsite ? ' (or in the off-site copy in Swift when the storage node has none)' : ''}${args.verify ? ', its sha256 recomputed' : ''}${args.produce ? ', and whether this host still matches it' : ''}${args.must_match ? ' (fails unless it does)' : ''}`,
};

async function found(ctx: ModuleContext, args: CatalogArgs, looked: FoundEither): Promise<CheckOutcome<CatalogPrior>> {
  const { entry, copy } = looked;
  if (!entry) {
    if (args.required === false) return { status: 'ok', commands: [], facts: { ...factsOf(undefined), copy } };
    return { status: 'failed', message: `${looked.missing} in ${missingPlaces(args, looked)}`, commands: [] };
  }
  const commands = [];
  const summary = `backup ${entry.id} ${copyWords(looked, args)}`;
  if (args.verify) {
    const verified = await verifyThere(ctx, looked, entry, entry.files);
    commands.push(...verified.commands);
    if (verified.problem) return { status: 'failed', message: verified.problem, commands };
  }
  if (args.produce === undefined) return { status: 'ok', commands, facts: { ...factsOf(entry), copy }, summary };
  const produced = await produce(ctx, args, async () => ({ ok: true, commands: [] }));
  commands.push(...produced.commands);
  if (!produced.ok) return { status: 'failed', message: produced.message ?? 'produce failed', commands };
  // The backup's data as restored: an encrypted backup's plaintext digests (age is randomised).
  const restored = plainView(entry.files);
  const matches = sameFiles(produced.files, restored, 'subset');
  if (args.must_match && !matches) return { status: 'failed', message: `the data on ${ctx.host.name} does not equal ${args.kind} backup ${entry.id}: ${mismatchOf(produced.files, restored)}`, commands };
  return { status: 'ok', commands, facts: { ...factsOf(entry, matches), copy }, summary };
}

function mismatchOf(produced: readonly BackupFile[], backup: readonly BackupFile[]): string {
  const byName = new Map(backup.map((f) => [f.name, f.sha256]));
  return produced.filter((f) => byName.get(f.name) !== f.sha256).map((f) => (byName.has(f.name) ? `${f.name} differs` : `${f.name} is not in the backup`)).join(', ');
}
