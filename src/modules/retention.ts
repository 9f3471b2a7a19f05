import { posix } from 'node:path';
import type { CommandResult } from '../connection/connection.js';
import type { CatalogEntry } from '../catalog/manifest.js';
import { type Catalog, listManifestsCommand, parseCatalog } from '../catalog/read.js';
import { decideRetention, type RetentionDecision, type RetentionPolicy } from '../catalog/retention.js';
import { backupName, retentionSummary } from '../catalog/retention-summary.js';
import { durationFinding, formatDuration, parseDuration } from '../runbook/duration.js';
import { isRecord } from '../runbook/raw.js';
import { defineModule, type LoadInput, type ModuleDefinition } from './definition.js';
import type { CheckOutcome, ModuleContext } from './module.js';
import { runCommand } from './outcome.js';
import { policyOf } from './retention-args.js';
import { type Deletion, moveToTrashCommand, purgeTrashCommand, restoreFromTrashCommand, trashDir } from './retention-commands.js';
import type { ActionOutcome } from './module.js';
import { type OffsiteDeletion, hideOffsite, offsiteDeletion, purgeOffsite, readOffsite, unhideOffsite } from './retention-offsite.js';
import type { OffsiteArgs } from './catalog/args.js';
import { OFFSITE_SCHEMA, offsiteOf } from './catalog/offsite.js';
import { offsiteRoot } from '../offsite/catalog.js';
import { type SwiftTarget, locationOf, targetProblem } from '../offsite/swift.js';

/** Retention of the catalog on the step's (storage) host. */
export type RetentionArgs = {
  root: string;
  /** The counts are numbers, or strings once a template (`"{{params.keep_last}}"`) is rendered. */
  keep_last?: number | string;
  daily?: number | string;
  weekly?: number | string;
  monthly?: number | string;
  /** From `max_age:`, a duration. */
  maxAgeMs?: number;
  /** `max_age:` when it is a template: parsed by the module once rendered. */
  max_age?: string;
  kind?: string;
  host?: string;
  /** The off-site copy in Swift instead of the catalog under root on this host. */
  offsite?: OffsiteArgs;
};

/** retention as written: max_age a duration (text or seconds) or a template. */
type RetentionYaml = Omit<RetentionArgs, 'maxAgeMs' | 'max_age'> & { max_age?: string | number };

/** What check decided, so that apply deletes exactly what the plan showed. */
export interface RetentionPrior {
  root: string;
  policy: RetentionPolicy;
  /** The check's clock (ISO), so apply decides with the same "now". */
  now: string;
  trash: string;
  deletions: Deletion[];
  /** Off-site: the objects of each deletion, and the manifests apply removed (their text, for rollback). */
  offsite?: { deletions: OffsiteDeletion[]; hidden: Array<{ manifest: string; text: string }> };
}

/** A catalog as read (the storage node's, or the off-site one), or why it could not be. */
export type Read = { ok: true; catalog: Catalog; results: CommandResult[] } | { ok: false; message: string; results: CommandResult[] };

/**
 * `retention`: prunes the backup catalog on the step's (storage) host by a restic-like policy
 * (src/catalog/retention.ts). Nothing is deleted during the run: each backup to go is renamed
 * into `<root>/.trash/<run id>/`, rollback renames it back, and commit removes it once the run
 * succeeded. `now` is injectable for tests.
 */
export function retentionModuleWith(now: () => Date): ModuleDefinition<RetentionArgs, RetentionPrior> {
  return defineModule<RetentionArgs, RetentionPrior>({
    name: 'retention',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['root'],
      description: 'Retention of the backup catalog on this (storage) host: keep the newest N and daily/weekly/monthly generations, drop what is older than max_age; never the newest verified backup of a kind and host, nor what a kept backup depends on.',
      properties: {
        root: {
          type: 'string',
          description: 'The catalog folder (the inventory var backup_root).',
        },
        keep_last: {
          anyOf: [
            {
              type: 'integer',
              minimum: 0,
            },
            {
              type: 'string',
              pattern: '\\{\\{',
            },
          ],
          description: 'Keep the newest N backups of each kind and host. A whole number, or a template that renders to one ("{{params.keep_last}}").',
        },
        daily: {
          anyOf: [
            {
              type: 'integer',
              minimum: 0,
            },
            {
              type: 'string',
              pattern: '\\{\\{',
            },
          ],
          description: 'Keep the newest backup of each of the last N days that have one. A whole number, or a template that renders to one ("{{params.daily}}").',
        },
        weekly: {
          anyOf: [
            {
              type: 'integer',
              minimum: 0,
            },
            {
              type: 'string',
              pattern: '\\{\\{',
            },
          ],
          description: 'Keep the newest backup of each of the last N ISO weeks that have one. A whole number, or a template that renders to one ("{{params.weekly}}").',
        },
        monthly: {
          anyOf: [
            {
              type: 'integer',
              minimum: 0,
            },
            {
              type: 'string',
              pattern: '\\{\\{',
            },
          ],
          description: 'Keep the newest backup of each of the last N months that have one. A whole number, or a template that renders to one ("{{params.monthly}}").',
        },
        max_age: {
          type: ['string', 'number'],
          description: 'A duration (90d, 12h), or a template that renders to one: nothing older is kept, except the protected backups.',
        },
        kind: {
          type: 'string',
          description: 'Only backups of this kind.',
        },
        host: {
          type: 'string',
          description: 'Only backups of this host.',
        },
        offsite: {
          ...OFFSITE_SCHEMA,
          description: "Prune the off-site copy in this Swift container instead of the catalog under root (read and changed through this host; the policy is this step's own). From the inventory's offsite_swift_* vars and a secret key.",
        },
      },
    },
    load: loadRetention,
    rules({ value, at, findings }) {
      // A template is checked by the module once rendered: params reach it that way.
      if (isRecord(value) && !isTemplate(value.max_age)) durationFinding(value.max_age, `${at}.max_age`, 'max_age', findings);
    },
    show: (args, words) => `prunes the ${args.offsite ? 'off-site copy in Swift' : `backup catalog ${words.arg('root')}`} (${retentionRules(args)})`,
    shellFields: [],
    mutating: true,

    async check(ctx, args): Promise<CheckOutcome<RetentionPrior>> {
      const policy = policyOf(args);
      if (!policy.ok) return { status: 'failed', message: policy.problem, commands: [] };
      const place = placeOf(args);
      if (!place.ok) return { status: 'failed', message: place.problem, commands: [] };
      const read = await readPlace(ctx, args, place.root);
      if (!read.ok) return { status: 'failed', message: read.message, commands: read.results };
      const at = now();
      const decisions = decideRetention(selected(read.catalog.entries, args), policy.policy, at);
      const deletions = toDeletions(decisions, trashDir(place.root, ctx.runId));
      const commands = read.results;
      if (deletions.length === 0) return { status: 'ok', commands, facts: { deleted: [] } };
      const offsite = place.target ? { deletions: decisions.filter((d) => !d.keep).map((d) => offsiteDeletion(d.entry)), hidden: [] } : undefined;
      const prior = { root: place.root, policy: policy.policy, now: at.toISOString(), trash: trashDir(place.root, ctx.runId), deletions, ...(offsite ? { offsite } : {}) };
      return { status: 'change', prior, commands, summary: retentionSummary(decisions, read.catalog.problems, place.target ? locationOf(place.target) : place.root) };
    },

    async apply(ctx, args, prior) {
      const read = await readPlace(ctx, args, prior.root);
      if (!read.ok) return { ok: false, commands: read.results, message: read.message };
      const fresh = decideRetention(selected(read.catalog.entries, args), prior.policy, new Date(prior.now));
      const changed = changedSinceCheck(prior, fresh, read.catalog);
      if (changed.length > 0) return { ok: false, commands: read.results, message: `the catalog changed since the check; nothing was deleted: ${changed.join('; ')}` };
      // A deletion missing from the catalog now was moved by an earlier attempt (retries), or is gone.
      const present = new Set(read.catalog.entries.map((e) => e.dir));
      const moved = await removeFromCatalog(ctx, args, prior, present);
      const deleted = prior.deletions.map((d) => ({ dir: d.dir, reason: d.reason }));
      return { ...moved, commands: [...read.results, ...moved.commands], facts: { deleted } };
    },

    async rollback(ctx, args, prior) {
      const target = offsiteOf(args);
      if (target) return unhideOffsite(ctx, target, prior.offsite?.hidden ?? []);
      return runCommand(ctx, restoreFromTrashCommand(prior.deletions, prior.trash));
    },

    async commit(ctx, args, prior) {
      const target = offsiteOf(args);
      if (target) return purgeOffsite(ctx, target, prior.offsite?.deletions ?? []);
      return runCommand(ctx, purgeTrashCommand(prior.deletions, prior.trash));
    },
  });
}

/** A template (`"{{params.max_age}}"`) is parsed by the module once it is rendered; a literal now. */
const isTemplate = (value: unknown): value is string => typeof value === 'string' && value.includes('{{');

function loadRetention({ value }: LoadInput): RetentionArgs {
  const { max_age: maxAge, ...rest } = value as RetentionYaml;
  if (isTemplate(maxAge)) return { ...rest, max_age: maxAge };
  const maxAgeMs = maxAge === undefined ? undefined : parseDuration(maxAge);
  return { ...rest, ...(maxAgeMs === undefined ? {} : { maxAgeMs }) };
}

/** `keep_last 7, daily 7, max_age 365d`: a literal max_age was parsed to ms by the loader, a template was not. */
function retentionRules(args: RetentionArgs): string {
  const counts = (['keep_last', 'daily', 'weekly', 'monthly'] as const).filter((k) => args[k] !== undefined).map((k) => `${k} ${String(args[k])}`);
  const maxAge = args.max_age ?? (typeof args.maxAgeMs === 'number' ? formatDuration(args.maxAgeMs) : undefined);
  return [...counts, ...(maxAge === undefined ? [] : [`max_age ${maxAge}`])].join(', ');
}

export const retentionModule = retentionModuleWith(() => new Date());

/** The catalog as the step's host sees it, through the step's become. */
async function readCatalogOn(ctx: ModuleContext, root: string): Promise<Read> {
  const result = await ctx.exec(listManifestsCommand(root).text);
  if (result.exitCode !== 0) return { ok: false, results: [result], message: `cannot read the catalog ${root} on ${ctx.host.name}: ${result.stderr.trim() || `exit code ${result.exitCode}`}` };
  return { ok: true, results: [result], catalog: parseCatalog(root, result.stdout) };
}

/** Which catalog the step prunes: root on this host, or the off-site copy (its entries placed under offsiteRoot). */
function placeOf(args: RetentionArgs): { ok: true; root: string; target?: SwiftTarget } | { ok: false; problem: string } {
  if (!args.offsite) return { ok: true, root: args.root };
  const target = offsiteOf(args);
  if (!target) return { ok: false, problem: 'retention offsite needs an auth_url (the inventory declares no offsite_swift_auth_url)' };
  const problem = targetProblem(target);
  return problem ? { ok: false, problem } : { ok: true, root: offsiteRoot(target), target };
}

function readPlace(ctx: ModuleContext, args: RetentionArgs, root: string): Promise<Read> {
  const target = offsiteOf(args);
  return target ? readOffsite(ctx, target) : readCatalogOn(ctx, root);
}

/**
 * apply's removal: into the trash under root, or off-site the manifests deleted (kept in prior
 * for rollback; the files go at commit). What is no longer in the catalog is left alone.
 */
async function removeFromCatalog(ctx: ModuleContext, args: RetentionArgs, prior: RetentionPrior, present: ReadonlySet<string>): Promise<ActionOutcome> {
  const target = offsiteOf(args);
  if (!target || !prior.offsite) return runCommand(ctx, moveToTrashCommand(prior.deletions.filter((d) => present.has(d.dir))));
  const hide = prior.offsite.deletions.filter((d) => present.has(d.dir));
  const hidden = await hideOffsite(ctx, target, hide);
  prior.offsite.hidden = hidden.texts.map((text, i) => ({ manifest: hide[i]?.manifest ?? '', text }));
  return hidden;
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
