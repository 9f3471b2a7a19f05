import { posix } from 'node:path';
import type { CommandResult } from '../connection/connection.js';
import type { CatalogEntry } from '../catalog/manifest.js';
import { type Catalog, listManifestsCommand, parseCatalog } from '../catalog/read.js';
import { decideRetention, type RetentionDecision, type RetentionPolicy } from '../catalog/retention.js';
import { backupName, retentionSummary } from '../catalog/retention-summary.js';
import type { RetentionArgs } from '../runbook/module-args.js';
import type { CheckOutcome, ModuleContext, StepModule } from './module.js';
import { runCommand } from './outcome.js';
import { policyOf } from './retention-args.js';
import { type Deletion, moveToTrashCommand, purgeTrashCommand, restoreFromTrashCommand, trashDir } from './retention-commands.js';

export type { RetentionArgs };

/** What check decided, so that apply deletes exactly what the plan showed. */
export interface RetentionPrior {
  root: string;
  policy: RetentionPolicy;
  /** The check's clock (ISO), so apply decides with the same "now". */
  now: string;
  trash: string;
  deletions: Deletion[];
}

type Read = { ok: true; catalog: Catalog; result: CommandResult } | { ok: false; message: string; result: CommandResult };

/**
 * `retention`: prunes the backup catalog on the step's (storage) host by a restic-like policy
 * (src/catalog/retention.ts). Nothing is deleted during the run: each backup to go is renamed
 * into `<root>/.trash/<run id>/`, rollback renames it back, and commit removes it once the run
 * succeeded. `now` is injectable for tests.
 */
export function retentionModuleWith(now: () => Date): StepModule<RetentionArgs, RetentionPrior> {
  return {
    name: 'retention',
    shellFields: [],
    mutating: true,

    async check(ctx, args): Promise<CheckOutcome<RetentionPrior>> {
      const policy = policyOf(args);
      if (!policy.ok) return { status: 'failed', message: policy.problem, commands: [] };
      const read = await readCatalogOn(ctx, args.root);
      if (!read.ok) return { status: 'failed', message: read.message, commands: [read.result] };
      const at = now();
      const decisions = decideRetention(selected(read.catalog.entries, args), policy.policy, at);
      const deletions = toDeletions(decisions, trashDir(args.root, ctx.runId));
      const commands = [read.result];
      if (deletions.length === 0) return { status: 'ok', commands, facts: { deleted: [] } };
      const prior = { root: args.root, policy: policy.policy, now: at.toISOString(), trash: trashDir(args.root, ctx.runId), deletions };
      return { status: 'change', prior, commands, summary: retentionSummary(decisions, read.catalog.problems, args.root) };
    },

    async apply(ctx, args, prior) {
      const read = await readCatalogOn(ctx, prior.root);
      if (!read.ok) return { ok: false, commands: [read.result], message: read.message };
      const fresh = decideRetention(selected(read.catalog.entries, args), prior.policy, new Date(prior.now));
      const changed = changedSinceCheck(prior, fresh, read.catalog);
      if (changed.length > 0) return { ok: false, commands: [read.result], message: `the catalog changed since the check; nothing was deleted: ${changed.join('; ')}` };
      // A deletion missing from the catalog now was moved by an earlier attempt (retries), or is gone.
      const present = new Set(read.catalog.entries.map((e) => e.dir));
      const moved = await runCommand(ctx, moveToTrashCommand(prior.deletions.filter((d) => present.has(d.dir))));
      const deleted = prior.deletions.map((d) => ({ dir: d.dir, reason: d.reason }));
      return { ...moved, commands: [read.result, ...moved.commands], facts: { deleted } };
    },

    async rollback(ctx, _args, prior) {
      return runCommand(ctx, restoreFromTrashCommand(prior.deletions, prior.trash));
    },

    async commit(ctx, _args, prior) {
      return runCommand(ctx, purgeTrashCommand(prior.deletions, prior.trash));
    },
  };
}

export const retentionModule = retentionModuleWith(() => new Date());

/** The catalog as the step's host sees it, through the step's become. */
async function readCatalogOn(ctx: ModuleContext, root: string): Promise<Read> {
  const result = await ctx.exec(listManifestsCommand(root));
  if (result.exitCode !== 0) return { ok: false, result, message: `cannot read the catalog ${root} on ${ctx.host.name}: ${result.stderr.trim() || `exit code ${result.exitCode}`}` };
  return { ok: true, result, catalog: parseCatalog(root, result.stdout) };
}

/** The backups the step's `kind` and `host` select; the others are neither kept nor deleted. */
function selected(entries: readonly CatalogEntry[], args: RetentionArgs): CatalogEntry[] {
  return entries.filter((e) => (args.kind === undefined || e.kind === args.kind) && (args.host === undefined || e.host === args.host));
}

function toDeletions(decisions: readonly RetentionDecision[], trash: string): Deletion[] {
  return decisions.filter((d) => !d.keep).map((d) => ({ dir: d.entry.dir, trashed: posix.join(trash, d.entry.kind, d.entry.host, d.entry.id), reason: d.reason }));
}

/**
 * What would make apply delete something the plan did not promise: a backup the check would
 * delete that the policy now keeps (a new backup depends on it, it was verified since), or
 * whose manifest cannot be read any more. New deletable backups are left for the next run.
 */
export function changedSinceCheck(prior: RetentionPrior, fresh: readonly RetentionDecision[], catalog: Catalog): string[] {
  const now = new Map(fresh.map((d) => [d.entry.dir, d]));
  const unreadable = new Set(catalog.problems.map((p) => p.dir));
  const changes: string[] = [];
  for (const d of prior.deletions) {
    const decision = now.get(d.dir);
    if (unreadable.has(d.dir)) changes.push(`${d.dir}: its manifest cannot be read any more`);
    else if (decision?.keep) changes.push(`${backupName(decision)} is now ${decision.reason}`);
  }
  return changes;
}
