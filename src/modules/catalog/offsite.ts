import type { CatalogEntry } from '../../catalog/manifest.js';
import { readCatalog, selectBackup } from '../../catalog/read.js';
import type { Connection } from '../../connection/connection.js';
import type { BackupFile } from '../../catalog/manifest.js';
import type { CommandResult } from '../../connection/connection.js';
import { checkOffsiteFiles, readOffsiteCatalog } from '../../offsite/catalog.js';
import { type SwiftTarget, locationOf, targetProblem } from '../../offsite/swift.js';
import type { CheckOutcome, ModuleContext } from '../module.js';
import type { JsonSchema } from '../definition.js';
import { verifyOnStorage } from './files.js';
import { type CatalogArgs, type OffsiteArgs, argsProblem, idOf, missingWords, refusedOn, sourceOf } from './args.js';

/** Which copy a backup was found in. */
export type CopyName = 'storage' | 'offsite';

/** The `offsite` argument of the modules that reach the off-site copy (catalog, retention). */
export const OFFSITE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['auth_url', 'user', 'key', 'container'],
  description: "The off-site Swift (docs/backups.md): from the inventory's offsite_swift_* vars and a secret key; an empty auth_url declares none.",
  properties: {
    auth_url: { type: 'string', description: 'Swift v1 auth URL (tempauth: http://host:8080/auth/v1.0).' },
    user: { type: 'string', description: 'account:user.' },
    key: { type: 'string', description: 'The key: a secret ({{secrets.swift_key}}), sent to curl on stdin, never on a command line.' },
    container: { type: 'string', description: 'The container that holds the off-site copies.' },
  },
} satisfies JsonSchema;

/** The off-site Swift the args declare, or undefined when they declare none (no offsite, or an empty auth_url). */
export function offsiteOf(args: { offsite?: OffsiteArgs | undefined }): SwiftTarget | undefined {
  const o = args.offsite;
  if (!o || o.auth_url === '') return undefined;
  return { auth_url: o.auth_url, user: o.user, key: o.key, container: o.container };
}

/** What a lookup over both copies found: the backup (if any), in which copy, and how to reach that copy. */
export interface FoundEither {
  entry: CatalogEntry | undefined;
  missing: string;
  copy: CopyName;
  /** Where the copy is, in words: `stor1:/var/backups/openstack` or `swift:runbook-backups`. */
  location: string;
  /** The storage host (storage copy) or undefined. */
  storage?: Connection;
  /** The Swift target (off-site copy). */
  target?: SwiftTarget;
}

/**
 * The backup a found/fetched step names, from the copy `from` says: `auto` takes the storage
 * node's catalog, and the off-site one only when the storage node has no such backup (the node
 * was lost, or rotated it away); `storage` or `offsite` only that one. A refused manifest fails
 * the step in either copy, as before. The off-site catalog is read from this step's host (the
 * one the files go to), so it works when the storage node is gone.
 */
export async function lookUpEither(ctx: ModuleContext, args: CatalogArgs): Promise<FoundEither | CheckOutcome<never>> {
  const failed = (message: string): CheckOutcome<never> => ({ status: 'failed', message, commands: [] });
  const problem = argsProblem(ctx, args);
  if (problem) return failed(problem);
  const from = args.from === undefined || args.from === '' ? 'auto' : args.from;
  if (from !== 'auto' && from !== 'storage' && from !== 'offsite') return failed(`catalog from '${from}' must be auto, storage or offsite`);
  const target = offsiteOf(args);
  if (from === 'offsite' && !target) return failed('catalog from: offsite needs offsite (the inventory declares no offsite_swift_auth_url)');
  const query = { kind: args.kind, host: sourceOf(ctx, args), id: idOf(ctx, args) };
  const missing = missingWords(query);
  if (from !== 'offsite') {
    const storage = await ctx.connectionTo(args.storage);
    const catalog = await readCatalog(storage, args.root, ctx.options);
    const refused = refusedOn(catalog, query, args.storage);
    if (refused) return failed(refused);
    const entry = selectBackup(catalog, query);
    if (entry || from === 'storage' || !target) return { entry, missing, copy: 'storage', location: `${args.storage}:${args.root}`, storage };
  }
  if (!target) return failed('no off-site copy declared');
  const bad = targetProblem(target);
  if (bad) return failed(bad);
  let catalog;
  try {
    catalog = await readOffsiteCatalog(ctx.connection, target, ctx.options);
  } catch (error) {
    return failed((error as Error).message);
  }
  const refused = refusedOn(catalog, query, locationOf(target));
  if (refused) return failed(refused);
  return { entry: selectBackup(catalog, query), missing, copy: 'offsite', location: locationOf(target), target };
}

/** `from the off-site copy swift:c (the storage node has none)`: what a step says of the copy it used. */
export function copyWords(found: Pick<FoundEither, 'copy' | 'location'>, args: CatalogArgs): string {
  if (found.copy === 'storage') return `from the storage node's copy ${found.location}`;
  const why = args.from === 'offsite' ? '' : ` (not in ${args.storage}:${args.root})`;
  return `from the off-site copy ${found.location}${why}`;
}

/** `stor1:/var/backups/openstack` or, after the fallback, both places looked in. */
export function missingPlaces(args: CatalogArgs, found: Pick<FoundEither, 'copy' | 'location'>): string {
  return found.copy === 'offsite' && args.from !== 'offsite' ? `${args.root} on ${args.storage}, nor in ${found.location}` : found.copy === 'offsite' ? found.location : `${args.root} on ${args.storage}`;
}

/** The copy still holds the files as its manifest says: sha256 recomputed on the storage node, or size and sha256 metadata in Swift. */
export async function verifyThere(ctx: ModuleContext, found: FoundEither, entry: CatalogEntry, files: readonly BackupFile[]): Promise<{ commands: CommandResult[]; problem?: string | undefined }> {
  if (found.storage) return verifyOnStorage(ctx, found.storage, entry, files);
  if (!found.target) return { commands: [] };
  const checked = await checkOffsiteFiles(ctx.connection, found.target, entry, files, ctx.options);
  return { commands: checked.commands, problem: checked.problems.length === 0 ? undefined : `backup ${entry.id} in ${found.location} does not match its manifest: ${checked.problems.join('; ')}` };
}
