import { pathUnder, segmentProblem } from '../../catalog/layout.js';
import type { BackupFile, CatalogEntry } from '../../catalog/manifest.js';
import { type Catalog, readCatalog, refusedBackup, selectBackup } from '../../catalog/read.js';
import type { RestoreTest } from '../../catalog/restore-test.js';
import type { Connection } from '../../connection/connection.js';
import type { ShowWords } from '../definition.js';
import type { CheckOutcome, ModuleContext, StepModule } from '../module.js';

/** The backup catalog on a storage host (docs/backups.md), from the step's host's side. */
export type CatalogArgs = {
  /**
   * stored: the files of `src` are a verified backup; found: look one up; fetched: in `dest`
   * here; tested: the backup has a restore-test record.
   */
  state: 'stored' | 'found' | 'fetched' | 'tested' | 'copied';
  /** Inventory name of the storage host. */
  storage: string;
  /** The catalog folder on the storage host. */
  root: string;
  kind: string;
  /** Whose backups; default the step's host. */
  host?: string;
  /** A backup id or `latest`; stored: the new backup's id (default: the run's id). */
  id?: string;
  /** stored, found: the command that writes the backup's files into `$OUT` on this host. */
  produce?: string;
  /** Fed to `produce` on its standard input (credentials); never on a command line. */
  stdin?: string;
  dest?: string;
  /** fetched: only files whose name before the first dot is one of these. */
  only?: string[] | string;
  source_digest?: string;
  contents?: Record<string, unknown>;
  depends_on?: string;
  /** found: fail when there is none (default true). */
  required?: boolean;
  /** found: recompute the files' sha256 on the storage host. */
  verify?: boolean;
  /** found: fail unless what `produce` writes equals the backup's files of the same names. */
  must_match?: boolean;
  /** tested: write a new record even when the backup has one (a string once templated). */
  force?: boolean | string;
  /** stored: encrypt the files with age to these public keys on this host before they leave it (none: not encrypted). */
  recipients?: string[] | string;
  /** fetched: the age identity (a secret's value) that decrypts an encrypted backup; reaches age on stdin only. */
  identity?: string;
  /** copied: where the copy goes; found, fetched: where to look when the storage node has no such backup. */
  offsite?: OffsiteArgs;
  /** found, fetched: `auto` (default: the storage node's copy, else the off-site one), `storage` or `offsite` only. */
  from?: string;
};

/**
 * The off-site Swift as a runbook passes it (docs/backups.md): from the inventory's
 * `offsite_swift_auth_url`, `offsite_swift_user`, `offsite_swift_container` and the secret key. An empty auth_url means the inventory declares none.
 */
export interface OffsiteArgs {
  auth_url: string;
  user: string;
  key: string;
  container: string;
}

export interface CatalogPrior {
  /** fetched: the backup to bring to this host. */
  entry?: CatalogEntry;
  /** stored: the folder made on the storage host, removed by rollback. */
  made?: string;
  /** fetched: files of dest that existed before (path), kept aside for rollback (aside). */
  aside?: Array<{ path: string; aside: string }>;
  /** fetched: the paths of the files this step put into dest. */
  written?: string[];
  /** fetched: the folders it made for dest (dest and missing parents), deepest first. */
  madeDirs?: string[];
  /** tested: the record this step wrote, and the one it replaced (for rollback). */
  recorded?: { dir: string; previous: RestoreTest | null };
  /** copied: the objects this step uploaded, removed by rollback. */
  uploaded?: string[];
  /** found, fetched: which copy the backup was taken from. */
  copy?: 'storage' | 'offsite';
}

/** The registered facts of a backup: `{{name.backup.id}}`, `{{name.backup.dir}}`, ... */
export function factsOf(entry: CatalogEntry | undefined, matches = false): Record<string, unknown> {
  if (!entry) return { found: false, matches, tested: false, stdout: '', backup: { id: '', dir: '', source_digest: '', created: '', files: [], restore_test: null } };
  return { found: true, matches, tested: entry.restore_test !== null, stdout: entry.id, backup: entry };
}

export function sourceOf(ctx: ModuleContext, args: CatalogArgs): string {
  return args.host ?? ctx.host.name;
}

/** stored: the new backup is this run's; otherwise `latest` unless an id is given. */
export function idOf(ctx: ModuleContext, args: CatalogArgs): string {
  if (args.id !== undefined && args.id !== '') return args.id;
  return args.state === 'stored' ? ctx.runId : 'latest';
}

/** The backup a step is about: which kind, whose, which id. */
export interface BackupQuery {
  kind: string;
  host: string;
  id: string;
}

/** `no verified db backup of h1`: what a lookup that found nothing says. */
export function missingWords(query: BackupQuery): string {
  return query.id === 'latest' ? `no verified ${query.kind} backup of ${query.host}` : `no verified ${query.kind} backup ${query.id} of ${query.host}`;
}

export function argsProblem(ctx: ModuleContext, args: CatalogArgs): string | undefined {
  const id = idOf(ctx, args);
  const root = pathUnder(args.root);
  const dest = args.state === 'fetched' ? pathUnder(args.dest ?? '') : root;
  return segmentProblem('kind', args.kind) ?? segmentProblem('host', sourceOf(ctx, args)) ?? (id === 'latest' ? undefined : segmentProblem('backup id', id)) ??
    (root.ok ? undefined : `root ${root.problem}`) ?? (dest.ok ? undefined : `dest ${dest.problem}`);
}

/** Why the backup a query names cannot be used: its folder's manifest is refused (see refusedBackup). */
export function refusedOn(catalog: Catalog, query: BackupQuery, storage: string): string | undefined {
  const refused = refusedBackup(catalog, query);
  if (!refused) return undefined;
  const older = query.id === 'latest' ? `; it is the newest ${query.kind} backup of ${query.host}, so 'latest' does not fall back to an older one (give its id to restore an older one)` : '';
  return `backup ${refused.folder?.id ?? refused.dir} in ${refused.dir} on ${storage} is refused, nothing was read from it: ${refused.problem}${older}`;
}

/** What every state's check starts from: the storage host, the backup the step names (if any) and the words for none. */
export interface LookedUp {
  storage: Connection;
  entry: CatalogEntry | undefined;
  missing: string;
}

/**
 * The args checked, the catalog read on the storage host and the step's backup selected; or
 * the check's failure. `refuse`: a backup whose manifest is refused fails the step (every
 * state but stored, which makes a new one).
 */
export async function lookUp(ctx: ModuleContext, args: CatalogArgs, refuse: boolean): Promise<LookedUp | CheckOutcome<never>> {
  const problem = argsProblem(ctx, args);
  if (problem) return { status: 'failed', message: problem, commands: [] };
  const storage = await ctx.connectionTo(args.storage);
  const catalog = await readCatalog(storage, args.root, ctx.options);
  const query = { kind: args.kind, host: sourceOf(ctx, args), id: idOf(ctx, args) };
  const entry = selectBackup(catalog, query);
  const refused = refuse ? refusedOn(catalog, query, args.storage) : undefined;
  if (refused) return { status: 'failed', message: refused, commands: [] };
  return { storage, entry, missing: missingWords(query) };
}

/** The files of a backup this step is about: all, or those whose name before the first dot is in `only`. */
export function selected(entry: CatalogEntry, args: CatalogArgs): BackupFile[] {
  if (!args.only) return entry.files;
  const wanted = new Set(typeof args.only === 'string' ? args.only.split(',') : args.only);
  return entry.files.filter((f) => wanted.has(f.name.split('.')[0] ?? f.name));
}

/**
 * One state of the catalog module: a module of its own (check, apply, rollback, commit) with
 * the arguments it takes beyond those of every state (state, storage, root, kind, host, id),
 * the ones of them it needs, and how `runbook show` reads it. catalog.ts selects it by `state`.
 */
export interface CatalogState extends Pick<StepModule<CatalogArgs, CatalogPrior>, 'check' | 'apply' | 'rollback' | 'commit'> {
  readonly takes: readonly (keyof CatalogArgs)[];
  readonly needs: readonly (keyof CatalogArgs)[];
  /** What `runbook show` says the step does; `which` is `db backup \`latest\``. */
  show(args: CatalogArgs, words: ShowWords, which: string): string;
}
