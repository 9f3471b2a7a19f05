import { posix } from 'node:path';
import type { CommandResult, Connection } from '../connection/connection.js';
import { shellQuote } from '../connection/quote.js';
import { allUnder, backupDir, MANIFEST_NAME, pathUnder, segmentProblem } from '../catalog/layout.js';
import { type BackupFile, type BackupManifest, type CatalogEntry, MANIFEST_FORMAT, parseManifest } from '../catalog/manifest.js';
import { type Catalog, readCatalog, refusedBackup, selectBackup } from '../catalog/read.js';
import { RESTORE_TEST_FORMAT, RESTORE_TEST_NAME, type RestoreTest } from '../catalog/restore-test.js';
import type { CatalogArgs } from '../runbook/module-args.js';
import type { ActionOutcome, CheckOutcome, ModuleContext, StepModule } from './module.js';
import { refused, runCommand } from './outcome.js';
import { shOn } from './remote.js';
import { streamFile } from './stream.js';

export type { CatalogArgs };

interface CatalogPrior {
  /** fetched: the backup to bring to this host. */
  entry?: CatalogEntry;
  /** stored: the folder made on the storage host, removed by rollback. */
  made?: string;
  /** fetched: files of dest that existed before (path), kept aside for rollback (aside). */
  aside?: Array<{ path: string; aside: string }>;
  /** fetched: the paths of the files this step put into dest. */
  written?: string[];
  /** fetched: whether dest had to be created. */
  madeDest?: boolean;
  /** tested: the record this step wrote, and the one it replaced (for rollback). */
  recorded?: { dir: string; previous: RestoreTest | null };
}

/** The registered facts of a backup: `{{name.backup.id}}`, `{{name.backup.dir}}`, ... */
function factsOf(entry: CatalogEntry | undefined, matches = false): Record<string, unknown> {
  if (!entry) return { found: false, matches, tested: false, stdout: '', backup: { id: '', dir: '', source_digest: '', created: '', files: [], restore_test: null } };
  return { found: true, matches, tested: entry.restore_test !== null, stdout: entry.id, backup: entry };
}

/**
 * `catalog`: the backup catalog on a storage host, seen from the host whose data it keeps
 * (docs/backups.md). Like `transfer` it reaches the storage host itself, so a runbook never needs
 * a step there and every decision stays with the host the data belongs to.
 *
 * `produce` is the bash script (run with -e -u -o pipefail) that writes the backup's files into
 * `$OUT`, an empty private folder on this host (a dump through gzip, a tar); `stdin` feeds it
 * (credentials). Producing
 * is deterministic (`gzip -n`, `tar --sort=name`, `mysqldump --skip-dump-date`), so equal
 * sha256s mean equal data: that is how an unchanged source is recognised.
 *
 * - `stored`: what `produce` writes is a backup in the catalog, unless it equals the newest
 *   verified backup of the kind and host (then nothing changes). Streamed to
 *   `<root>/<kind>/<host>/<id>/`, each file's sha256 checked on the storage host against the one
 *   taken here, then the manifest is written, last, with `verified: true`. Rollback removes the
 *   folder it made.
 * - `found`: read-only; the newest verified backup (or `id`) is registered; `verify` recomputes
 *   its sha256s on the storage host; with `produce`, `matches` says whether the host's data
 *   equals the backup's files of the same names (a restore would change nothing).
 * - `fetched`: the backup's files (`only` some of them) are in `dest` on this host, verified on
 *   the storage host before they leave and on arrival. Rollback puts dest back as it was.
 * - `tested`: the backup has a restore-test record (`restore-test.json` beside its manifest),
 *   written by the last step of a runbook that restored it into scratch space and compared it
 *   (verify-backup); `force` writes a new one. Rollback puts the previous record back.
 */
export const catalogModule: StepModule<CatalogArgs, CatalogPrior> = {
  name: 'catalog',
  shellFields: ['produce'],
  reaches: ['storage'],
  mutating: true,

  async check(ctx, args): Promise<CheckOutcome<CatalogPrior>> {
    const problem = argsProblem(ctx, args);
    if (problem) return { status: 'failed', message: problem, commands: [] };
    const storage = await ctx.connectionTo(args.storage);
    const catalog = await readCatalog(storage, args.root, ctx.options);
    const query = { kind: args.kind, host: sourceOf(ctx, args), id: idOf(ctx, args) };
    const entry = selectBackup(catalog, query);
    const refused = args.state === 'stored' ? undefined : refusedOn(catalog, query, args.storage);
    if (refused) return { status: 'failed', message: refused, commands: [] };
    switch (args.state) {
      case 'stored':
        // Whether the source changed is only known by producing it, which is apply's work.
        return entry ? { status: 'ok', commands: [], facts: factsOf(entry) } : { status: 'unknown', prior: {}, commands: [] };
      case 'found':
        return found(ctx, storage, args, entry, describe(query));
      case 'fetched':
        return fetchedCheck(ctx, storage, args, entry, describe(query));
      case 'tested':
        return testedCheck(args, entry, describe(query));
    }
  },

  async apply(ctx, args, prior) {
    if (args.state === 'stored') return store(ctx, args, prior);
    if (args.state === 'fetched' && prior.entry) return fetch(ctx, args, prior.entry, prior);
    if (args.state === 'tested' && prior.entry) return recordTest(ctx, args, prior.entry, prior);
    return refused(`catalog state ${args.state} has nothing to apply`);
  },

  async rollback(ctx, args, prior) {
    if (args.state === 'stored') {
      if (!prior.made) return { ok: true, commands: [] };
      return shOn(ctx, await ctx.connectionTo(args.storage), `rm -rf -- ${shellQuote(prior.made)}`);
    }
    if (args.state === 'tested') return unrecordTest(ctx, args, prior);
    return restoreDest(ctx, args, prior);
  },

  async commit(ctx, args, prior) {
    if (args.state !== 'fetched' || !prior.aside?.length) return { ok: true, commands: [] };
    return runCommand(ctx, `rm -f -- ${prior.aside.map((kept) => shellQuote(kept.aside)).join(' ')}`);
  },
};

function sourceOf(ctx: ModuleContext, args: CatalogArgs): string {
  return args.host ?? ctx.host.name;
}

/** stored: the new backup is this run's; otherwise `latest` unless an id is given. */
function idOf(ctx: ModuleContext, args: CatalogArgs): string {
  if (args.id !== undefined && args.id !== '') return args.id;
  return args.state === 'stored' ? ctx.runId : 'latest';
}

function describe(query: { kind: string; host: string; id: string }): string {
  return query.id === 'latest' ? `no verified ${query.kind} backup of ${query.host}` : `no verified ${query.kind} backup ${query.id} of ${query.host}`;
}

function argsProblem(ctx: ModuleContext, args: CatalogArgs): string | undefined {
  const id = idOf(ctx, args);
  const root = pathUnder(args.root);
  const dest = args.state === 'fetched' ? pathUnder(args.dest ?? '') : root;
  return segmentProblem('kind', args.kind) ?? segmentProblem('host', sourceOf(ctx, args)) ?? (id === 'latest' ? undefined : segmentProblem('backup id', id)) ??
    (root.ok ? undefined : `root ${root.problem}`) ?? (dest.ok ? undefined : `dest ${dest.problem}`);
}

/** Why the backup a query names cannot be used: its folder's manifest is refused (see refusedBackup). */
function refusedOn(catalog: Catalog, query: { kind: string; host: string; id: string }, storage: string): string | undefined {
  const refused = refusedBackup(catalog, query);
  if (!refused) return undefined;
  const older = query.id === 'latest' ? `; it is the newest ${query.kind} backup of ${query.host}, so 'latest' does not fall back to an older one (give its id to restore an older one)` : '';
  return `backup ${refused.folder?.id ?? refused.dir} in ${refused.dir} on ${storage} is refused, nothing was read from it: ${refused.problem}${older}`;
}

/** The files of a backup this step is about: all, or those whose name before the first dot is in `only`. */
function selected(entry: CatalogEntry, args: CatalogArgs): BackupFile[] {
  if (!args.only) return entry.files;
  const wanted = new Set(typeof args.only === 'string' ? args.only.split(',') : args.only);
  return entry.files.filter((f) => wanted.has(f.name.split('.')[0] ?? f.name));
}

/** What a host holds of a backup's files: each one's problems (none: it has the manifest's size and sha256). */
interface FilesChecked {
  /** The command that looked (none when a name was refused before anything ran). */
  commands: CommandResult[];
  problems: string[];
}

/**
 * In `dir` on a host, whether `files` are regular files (not symlinks, which could point out of
 * dir) of the size and sha256 the manifest says. Their paths go on stdin, one a line (pathUnder
 * refuses a newline in a name), so no name is ever a word of a command line.
 */
async function checkFiles(ctx: ModuleContext, connection: Connection, dir: string, files: readonly BackupFile[]): Promise<FilesChecked> {
  const paths = files.map((f) => pathUnder(dir, f.name));
  const outside = paths.find((p) => !p.ok);
  if (outside && !outside.ok) return { commands: [], problems: [outside.problem] };
  // One line per path whatever happens, so line i is about files[i].
  const command = 'while IFS= read -r f; do if [ -f "$f" ] && [ ! -L "$f" ] && ' +
    `s=$(stat -c %s -- "$f") && h=$(sha256sum < "$f"); then printf '%s %s\\n' "$s" "\${h%% *}"; else echo missing; fi; done`;
  const result = await connection.exec(command, { ...ctx.options, stdin: paths.map((p) => `${p.ok ? p.path : ''}\n`).join('') });
  if (result.exitCode !== 0) return { commands: [result], problems: [`cannot read ${dir}: ${result.stderr.trim() || `exit code ${result.exitCode ?? 'by a signal'}`}`] };
  const lines = result.stdout.split('\n');
  return { commands: [result], problems: files.flatMap((file, i) => fileProblem(file, lines[i] ?? 'missing')) };
}

/** A line of {@link checkFiles} (`SIZE SHA256` or `missing`) against the manifest: the size first, it says most. */
function fileProblem(file: BackupFile, line: string): string[] {
  const [size, sha256] = line.split(' ');
  if (size === 'missing' || sha256 === undefined) return [`${file.name} is missing, unreadable or not a regular file`];
  if (Number(size) !== file.size) return [`${file.name} is ${size} bytes, the manifest says ${file.size}`];
  if (sha256 !== file.sha256) return [`${file.name} has sha256 ${sha256}, the manifest says ${file.sha256}`];
  return [];
}

/** On the storage host: the files still have the size and sha256 the manifest recorded. */
async function verifyOnStorage(ctx: ModuleContext, storage: Connection, entry: CatalogEntry, files: readonly BackupFile[]) {
  const { commands, problems } = await checkFiles(ctx, storage, entry.dir, files);
  return { commands, problem: problems.length === 0 ? undefined : `backup ${entry.id} in ${entry.dir} on ${storage.host} does not match its manifest: ${problems.join('; ')}` };
}

async function found(ctx: ModuleContext, storage: Connection, args: CatalogArgs, entry: CatalogEntry | undefined, missing: string): Promise<CheckOutcome<CatalogPrior>> {
  if (!entry) {
    if (args.required === false) return { status: 'ok', commands: [], facts: factsOf(undefined) };
    return { status: 'failed', message: `${missing} in ${args.root} on ${args.storage}`, commands: [] };
  }
  const commands = [];
  if (args.verify) {
    const verified = await verifyOnStorage(ctx, storage, entry, entry.files);
    commands.push(...verified.commands);
    if (verified.problem) return { status: 'failed', message: verified.problem, commands };
  }
  if (args.produce === undefined) return { status: 'ok', commands, facts: factsOf(entry) };
  const produced = await produce(ctx, args, async () => ({ ok: true, commands: [] }));
  commands.push(...produced.commands);
  if (!produced.ok) return { status: 'failed', message: produced.message ?? 'produce failed', commands };
  const matches = sameFiles(produced.files, entry.files, 'subset');
  if (args.must_match && !matches) return { status: 'failed', message: `the data on ${ctx.host.name} does not equal ${args.kind} backup ${entry.id}: ${mismatchOf(produced.files, entry.files)}`, commands };
  return { status: 'ok', commands, facts: factsOf(entry, matches) };
}

function mismatchOf(produced: readonly BackupFile[], backup: readonly BackupFile[]): string {
  const byName = new Map(backup.map((f) => [f.name, f.sha256]));
  return produced.filter((f) => byName.get(f.name) !== f.sha256).map((f) => (byName.has(f.name) ? `${f.name} differs` : `${f.name} is not in the backup`)).join(', ');
}

/** Whether produced files equal a backup's: all of them (stored), or those of the same names (found). */
function sameFiles(produced: readonly BackupFile[], backup: readonly BackupFile[], how: 'all' | 'subset'): boolean {
  if (produced.length === 0 || (how === 'all' && produced.length !== backup.length)) return false;
  const byName = new Map(backup.map((f) => [f.name, f.sha256]));
  return produced.every((f) => byName.get(f.name) === f.sha256);
}

type Produced = ActionOutcome & { files: BackupFile[] };

/**
 * Runs `produce` into a fresh private folder on this host, lists what it wrote (size, sha256),
 * hands that to `use`, and removes the folder whatever happened.
 */
async function produce(ctx: ModuleContext, args: CatalogArgs, use: (dir: string, files: BackupFile[]) => Promise<ActionOutcome>): Promise<Produced> {
  // Named by host too: hosts may share /var/tmp (NFS, the lab).
  const dir = `/var/tmp/runbook-${ctx.runId}-${ctx.taskKey}-${ctx.host.name}`;
  const out = shellQuote(dir);
  const made = await ctx.exec(`rm -rf -- ${out} && mkdir -m 700 -- ${out}`);
  if (made.exitCode !== 0) return { ok: false, commands: [made], files: [], message: `cannot create ${dir} on ${ctx.host.name}` };
  try {
    // bash with -e -u -o pipefail: a dump that fails half-way must fail the step, never become a
    // short backup (POSIX sh has no pipefail: `mysqldump | gzip` would exit 0). --norc: bash
    // started under sshd reads bashrc otherwise.
    const command = `OUT=${out}; export OUT; exec bash --norc --noprofile -euo pipefail -c ${shellQuote(args.produce ?? 'false')}`;
    const ran = await ctx.exec(command, args.stdin === undefined ? undefined : { stdin: args.stdin });
    if (ran.exitCode !== 0) return { ok: false, commands: [made, ran], files: [], message: `produce failed on ${ctx.host.name}: exit ${ran.exitCode ?? 'by a signal'}${ran.stderr.trim() ? `: ${ran.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}` };
    const listing = await ctx.exec(listFilesCommand(dir));
    const files = parseListing(listing.stdout);
    if (listing.exitCode !== 0 || files.length === 0) return { ok: false, commands: [made, ran, listing], files, message: `produce wrote no files into $OUT on ${ctx.host.name}` };
    const used = await use(dir, files);
    return { ...used, commands: [made, ran, listing, ...used.commands], files };
  } finally {
    // Also after an interrupt: a half-written dump must not stay behind on the host.
    await ctx.cleanup(`rm -rf -- ${out}`).catch(() => undefined);
  }
}

/** `SIZE SHA256  NAME` per regular file of a folder. */
function listFilesCommand(dir: string): string {
  return `cd ${shellQuote(dir)} && for f in *; do [ -f "$f" ] && printf '%s %s\\n' "$(stat -c %s -- "$f")" "$(sha256sum -- "$f")"; done; true`;
}

async function fetchedCheck(ctx: ModuleContext, storage: Connection, args: CatalogArgs, entry: CatalogEntry | undefined, missing: string): Promise<CheckOutcome<CatalogPrior>> {
  if (!entry) return { status: 'failed', message: `${missing} in ${args.root} on ${args.storage}`, commands: [] };
  const files = selected(entry, args);
  if (files.length === 0) return { status: 'failed', message: `backup ${entry.id} has none of ${String(args.only)}`, commands: [] };
  const onStorage = await verifyOnStorage(ctx, storage, entry, files);
  if (onStorage.problem) return { status: 'failed', message: onStorage.problem, commands: onStorage.commands };
  const here = await checkFiles(ctx, ctx.connection, args.dest ?? '', files);
  const commands = [...onStorage.commands, ...here.commands];
  if (here.problems.length === 0) return { status: 'ok', commands, facts: factsOf(entry) };
  return { status: 'change', prior: { entry }, commands };
}

async function store(ctx: ModuleContext, args: CatalogArgs, prior: CatalogPrior): Promise<ActionOutcome> {
  const storage = await ctx.connectionTo(args.storage);
  const newest = selectBackup(await readCatalog(storage, args.root, ctx.options), { kind: args.kind, host: sourceOf(ctx, args), id: 'latest' });
  return produce(ctx, args, async (src, files) => {
    if (newest && sameFiles(files, newest.files, 'all')) return { ok: true, commands: [], changed: false, facts: factsOf(newest, true) };
    return ship(ctx, args, storage, src, files, prior);
  });
}

/**
 * Streams the produced files to a new folder of the catalog, verifies them there, writes the
 * manifest last. The manifest is read back with the reader's own check first: the writer never
 * writes a manifest that a restore would refuse (a file name `produce` chose that is not plain).
 */
async function ship(ctx: ModuleContext, args: CatalogArgs, storage: Connection, src: string, files: BackupFile[], prior: CatalogPrior): Promise<ActionOutcome> {
  const manifest = manifestOf(ctx, args, files);
  const readable = parseManifest(JSON.stringify(manifest, null, 2));
  if (!readable.ok) return { ok: false, commands: [], message: `produce wrote what the catalog cannot hold on ${ctx.host.name}: ${readable.problem}` };
  const folder = allUnder({ dir: backupDir(args.root, manifest.kind, manifest.host, manifest.id), src: pathUnder(src) });
  if (!folder.ok) return { ok: false, commands: [], message: folder.problem };
  const { dir } = folder.paths;
  // A folder of this id without a manifest is this run's own unfinished backup, left by a crash
  // (a resumed run has its id): it is never listed, and is replaced.
  const unfinished = `[ -d ${shellQuote(dir)} ] && [ ! -e ${shellQuote(posix.join(dir, MANIFEST_NAME))} ] && rm -rf -- ${shellQuote(dir)}`;
  const made = await shOn(ctx, storage, `mkdir -p -- ${shellQuote(posix.dirname(dir))} && { ${unfinished}; mkdir -m 700 -- ${shellQuote(dir)}; }`);
  if (!made.ok) return { ...made, message: `cannot create ${dir} on ${args.storage} (a finished backup of this id exists already?)` };
  prior.made = dir;
  const commands = [...made.commands];
  for (const file of files) {
    const sent = await shipFile(ctx, args, storage, folder.paths, file);
    commands.push(...sent.commands);
    if (!sent.ok) return { ok: false, commands, message: sent.message ?? `sending ${file.name} to ${args.storage} failed` };
  }
  const verified = await checkFiles(ctx, storage, dir, files);
  commands.push(...verified.commands);
  if (verified.problems.length > 0) return { ok: false, commands, message: `on ${args.storage}, ${dir} does not match what left ${ctx.host.name}: ${verified.problems.join('; ')}` };
  const written = await writeOnStorage(ctx, args, dir, MANIFEST_NAME, `${JSON.stringify({ ...manifest, verified_at: new Date().toISOString() }, null, 2)}\n`);
  commands.push(...written.commands);
  if (!written.ok) return { ok: false, commands, message: written.message ?? `cannot write the manifest in ${dir} on ${args.storage}` };
  return { ok: true, commands, facts: factsOf({ ...manifest, dir, restore_test: null }, true) };
}

/** One produced file into the backup's folder: a temporary name, then renamed once it all arrived. */
async function shipFile(ctx: ModuleContext, args: CatalogArgs, storage: Connection, folder: { dir: string; src: string }, file: BackupFile): Promise<ActionOutcome> {
  const paths = allUnder({ temp: pathUnder(folder.dir, `.${file.name}.part`), dest: pathUnder(folder.dir, file.name), src: pathUnder(folder.src, file.name) });
  if (!paths.ok) return { ok: false, commands: [], message: paths.problem };
  const { temp, dest, src } = paths.paths;
  const sent = await streamFile(ctx, { from: ctx.connection, src }, { to: storage, temp, dest });
  if (!sent.ok) return { ok: false, commands: sent.commands, message: sent.message ?? `sending ${file.name} to ${args.storage} failed` };
  if (sent.bytes !== file.size) return { ok: false, commands: sent.commands, message: `${file.name} changed while it was sent: ${sent.bytes ?? 0} bytes went, it had ${file.size}` };
  const moved = await shOn(ctx, storage, `mv -- ${shellQuote(temp)} ${shellQuote(dest)}`);
  const commands = [...sent.commands, ...moved.commands];
  return moved.ok ? { ok: true, commands } : { ok: false, commands, message: `cannot rename ${temp} on ${args.storage}` };
}

function parseListing(stdout: string): BackupFile[] {
  return stdout.split('\n').filter(Boolean).map((line) => {
    const [size = '0', sha256 = '', ...name] = line.split(' ');
    return { size: Number(size), sha256, name: name.join(' ').trimStart() };
  });
}

function manifestOf(ctx: ModuleContext, args: CatalogArgs, files: BackupFile[]): BackupManifest {
  const now = new Date().toISOString();
  return {
    format: MANIFEST_FORMAT,
    id: idOf(ctx, args),
    kind: args.kind,
    host: sourceOf(ctx, args),
    created: now,
    run: { id: ctx.runId, runbook: ctx.runbook?.name ?? '', version: ctx.runbook?.version ?? '' },
    source_digest: args.source_digest ?? '',
    contents: args.contents ?? {},
    depends_on: args.depends_on ?? null,
    files,
    verified: true,
    verified_at: now,
  };
}

/** The hidden name a file of dest is kept under while the run may still roll back. */
function asideName(ctx: ModuleContext, name: string): string {
  return `.${name}.runbook-${ctx.runId}-${ctx.taskKey}`;
}

/** A file to fetch and where it goes: every path built from the manifest's name under its root. */
interface Fetch {
  file: BackupFile;
  /** In the backup's folder on the storage host. */
  src: string;
  /** In dest on this host. */
  target: string;
  /** Where a file already at target is kept until the run ends. */
  aside: string;
}

/** The backup's selected files with their paths, or why one of them would leave its folder (then nothing is fetched). */
function planFetch(ctx: ModuleContext, args: CatalogArgs, entry: CatalogEntry): { ok: true; plan: Fetch[] } | { ok: false; problem: string } {
  const plan: Fetch[] = [];
  const dest = args.dest ?? '';
  for (const file of selected(entry, args)) {
    const paths = allUnder({ src: pathUnder(entry.dir, file.name), target: pathUnder(dest, file.name), aside: pathUnder(dest, asideName(ctx, file.name)) });
    if (!paths.ok) return { ok: false, problem: `backup ${entry.id}: ${paths.problem}` };
    plan.push({ file, ...paths.paths });
  }
  return { ok: true, plan };
}

async function fetch(ctx: ModuleContext, args: CatalogArgs, entry: CatalogEntry, prior: CatalogPrior): Promise<ActionOutcome> {
  const planned = planFetch(ctx, args, entry);
  if (!planned.ok) return refused(planned.problem);
  const dest = shellQuote(args.dest ?? '');
  const made = await ctx.exec(`if [ -d ${dest} ]; then echo existed; else mkdir -p -m 700 -- ${dest} && echo made; fi`);
  if (made.exitCode !== 0) return { ok: false, commands: [made], message: `cannot create ${args.dest ?? ''} on ${ctx.host.name}` };
  prior.madeDest = made.stdout.trim() === 'made';
  prior.aside = [];
  prior.written = [];
  const storage = await ctx.connectionTo(args.storage);
  const commands = [made];
  for (const { file, src, target, aside } of planned.plan) {
    // -L too: a dangling symlink is not -e, and `cat >` would write where it points.
    const kept = await ctx.exec(`if [ -e ${shellQuote(target)} ] || [ -L ${shellQuote(target)} ]; then mv -f -- ${shellQuote(target)} ${shellQuote(aside)} && echo kept; fi`);
    commands.push(kept);
    if (kept.exitCode !== 0) return { ok: false, commands, message: `cannot keep the previous ${target} aside` };
    if (kept.stdout.trim() === 'kept') prior.aside.push({ path: target, aside });
    prior.written.push(target);
    const sent = await streamFile(ctx, { from: storage, src }, { to: ctx.connection, temp: target, dest: target });
    commands.push(...sent.commands);
    if (!sent.ok) return { ok: false, commands, message: sent.message ?? `fetching ${file.name} from ${args.storage} failed` };
    if (sent.bytes !== file.size) return { ok: false, commands, message: `${file.name} arrived with ${sent.bytes ?? 0} bytes, the manifest says ${file.size}` };
    if (sent.sha256 !== file.sha256) return { ok: false, commands, message: `${file.name} arrived with sha256 ${sent.sha256}, the manifest says ${file.sha256}` };
  }
  return { ok: true, commands, facts: factsOf(entry) };
}

/** fetched rollback: the files it wrote removed, the ones it replaced back, dest removed if it made it. */
async function restoreDest(ctx: ModuleContext, args: CatalogArgs, prior: CatalogPrior): Promise<ActionOutcome> {
  const steps = (prior.written ?? []).map((path) => `rm -f -- ${shellQuote(path)}`);
  for (const kept of prior.aside ?? []) steps.push(`mv -f -- ${shellQuote(kept.aside)} ${shellQuote(kept.path)}`);
  if (prior.madeDest) steps.push(`rmdir -- ${shellQuote(args.dest ?? '')}`);
  if (steps.length === 0) return { ok: true, commands: [] };
  return runCommand(ctx, steps.join(' && '));
}

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
  return shOn(ctx, await ctx.connectionTo(args.storage), `rm -f -- ${shellQuote(path.path)}`);
}

/** A small file `name` in `dir` on the storage host, written whole or not at all (a temporary name, then mv). */
async function writeOnStorage(ctx: ModuleContext, args: CatalogArgs, dir: string, name: string, text: string): Promise<ActionOutcome> {
  const paths = allUnder({ path: pathUnder(dir, name), temp: pathUnder(dir, `.${name}.part`) });
  if (!paths.ok) return refused(paths.problem);
  const temp = shellQuote(paths.paths.temp);
  const storage = await ctx.connectionTo(args.storage);
  const result = await storage.exec(`umask 077 && cat > ${temp} && mv -f -- ${temp} ${shellQuote(paths.paths.path)}`, { ...ctx.options, stdin: text });
  return { ok: result.exitCode === 0, commands: [result] };
}
